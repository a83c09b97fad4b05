"""The ``home`` fixture: the CLI's settings come from a fresh BRICKYARD_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("BRICKYARD_HOME", str(path))
    monkeypatch.delenv("BRICKYARD_DATABASE_URL", raising=False)
    monkeypatch.delenv("BRICKYARD_BASE_URL", raising=False)
    return path
