"""The server's per-run log lines: one at INFO when a run starts and one when it ends.

Written from the engine's committed events (:class:`brickyard.engine.EventBus`), never from
inside a transition, so a line means the change is in the store; a slow log handler delays
only the events after it, never a commit.
"""

from __future__ import annotations

import logging

from brickyard.engine.events import EngineEvent, RunChanged
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState

logger = logging.getLogger(__name__)


def log_run_event(event: EngineEvent) -> None:
    """Log a job run's start (RUNNING) and end (a terminal state); an EventBus subscriber."""
    if not isinstance(event, RunChanged):
        return
    job = f"job {event.job_id}" if event.job_id is not None else "one-time run"
    if event.life_cycle_state is LifeCycleState.RUNNING:
        logger.info("run %d (%s) started", event.run_id, job)
    elif event.life_cycle_state in TERMINAL_LIFE_CYCLE:
        result = event.result_state.value if event.result_state else event.life_cycle_state.value
        took = (
            f" in {(event.end_time - event.start_time) / 1000:.1f} s"
            if event.start_time and event.end_time >= event.start_time
            else ""
        )
        message = f": {event.state_message}" if event.state_message else ""
        logger.info("run %d (%s) ended %s%s%s", event.run_id, job, result, took, message)
