"""The run engine: run lifecycle, the pure DAG planner, retries, timeouts, cancellation,
repair, queueing and max concurrent runs, run results from leaf tasks, crash recovery.

Runs leave the engine as storage records; their wire JSON is rendered in :mod:`brickyard.views`."""

from __future__ import annotations

from brickyard.engine.engine import Engine, LauncherFactory
from brickyard.engine.events import EngineEvent, EventBus, RunChanged, TaskRunChanged
from brickyard.engine.requests import RepairRequest, RunRequest

__all__ = [
    "Engine",
    "EngineEvent",
    "EventBus",
    "LauncherFactory",
    "RepairRequest",
    "RunChanged",
    "RunRequest",
    "TaskRunChanged",
]
