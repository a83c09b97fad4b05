"""Fixtures for the API tests: a real server (see :mod:`support.api_server`) and a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.api_server import RunningServer, start_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """A running server over a fresh home."""
    running, thread = start_server(tmp_path / "home")
    try:
        yield running
    finally:
        thread.stop()
        running.services.close()


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    """An admin client of :func:`server`."""
    with server.client() as client:
        yield client
