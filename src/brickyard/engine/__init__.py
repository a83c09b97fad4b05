"""The run engine: run lifecycle, the pure DAG planner, retries, timeouts, cancellation,
repair, queueing and max concurrent runs, run results from leaf tasks, crash recovery."""

from __future__ import annotations

from brickyard.engine.engine import Engine, LauncherFactory
from brickyard.engine.events import EngineEvent, EventBus, RunChanged, TaskRunChanged
from brickyard.engine.requests import RepairRequest, RunRequest
from brickyard.engine.views import render_run, render_task_run, run_page_url

__all__ = [
    "Engine",
    "EngineEvent",
    "EventBus",
    "LauncherFactory",
    "RepairRequest",
    "RunChanged",
    "RunRequest",
    "TaskRunChanged",
    "render_run",
    "render_task_run",
    "run_page_url",
]
