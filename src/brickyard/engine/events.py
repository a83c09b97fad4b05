"""Events the engine emits AFTER a state change is committed. Subscribers (the CLI's progress
display, notifications, metrics) never run inside a transaction and cannot break the engine."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from brickyard.states import LifeCycleState, ResultState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskRunChanged:
    """A task run (one attempt) changed state."""

    job_run_id: int
    task_key: str
    task_run_id: int
    attempt_number: int
    life_cycle_state: LifeCycleState
    result_state: ResultState | None
    state_message: str
    start_time: int
    end_time: int
    task_dir: str | None


@dataclass(frozen=True)
class RunChanged:
    """A job run changed state."""

    run_id: int
    job_id: int | None
    life_cycle_state: LifeCycleState
    result_state: ResultState | None
    state_message: str
    start_time: int = 0
    """When the run started (epoch ms; 0 before it did)."""
    end_time: int = 0
    """When the run ended (epoch ms; 0 while it has not)."""


EngineEvent = TaskRunChanged | RunChanged
Subscriber = Callable[[EngineEvent], None]


class EventBus:
    """Delivers committed events to subscribers; a failing subscriber is logged, not raised."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        """Add a subscriber for every future event."""
        self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop delivering events to ``subscriber``."""
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def publish(self, event: EngineEvent) -> None:
        """Hand ``event`` to every subscriber."""
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                logger.exception("event subscriber failed on %s", event)
