"""Shared fixtures for the spec tests: the seed examples and a minimal-job builder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.seeds import JOB_SEEDS


@pytest.fixture(params=JOB_SEEDS, ids=lambda p: p.name)
def example_path(request: pytest.FixtureRequest) -> Path:
    """Each seed job example except the ADF pipeline."""
    path: Path = request.param
    return path


@pytest.fixture
def example_raw(example_path: Path) -> dict[str, Any]:
    """The JSON of each seed job example."""
    data: dict[str, Any] = json.loads(example_path.read_text(encoding="utf-8"))
    return data
