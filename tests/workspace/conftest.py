"""The workspace every workspace test works in: a folder not yet created under ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")
