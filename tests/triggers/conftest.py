"""The ``triggers`` fixture: a trigger service over a fresh store on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from brickyard.app import build_services
from brickyard.clock import FakeClock
from brickyard.settings import Settings
from support.trigger_harness import START, Triggers, ms


@pytest.fixture
def triggers(tmp_path: Path) -> Iterator[Triggers]:
    settings = replace(
        Settings.from_env({"BRICKYARD_HOME": str(tmp_path / "home")}),
        file_arrival_poll_seconds=10,
    )
    clock = FakeClock(ms(START))
    harness = Triggers(build_services(settings, clock=clock, control_socket=False), clock)
    try:
        yield harness
    finally:
        harness.services.close()
