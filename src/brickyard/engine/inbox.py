"""The loop's inbox: everything other threads tell the loop (process events, wake-ups,
cancellations, control requests), in the order they happened."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from dataclasses import dataclass

from brickyard.compute.process import ProcessEvent
from brickyard.engine.control import ControlRequest


@dataclass(frozen=True)
class Wake:
    """New work is in the store."""


@dataclass(frozen=True)
class Cancel:
    """Cancel a run (``task_run_id`` None) or one task run of it."""

    run_id: int
    task_run_id: int | None
    hard: bool


InboxItem = ProcessEvent | Wake | Cancel | ControlRequest


class Inbox:
    """A thread-safe queue read only by the loop thread."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[InboxItem] = queue.SimpleQueue()
        self._peeked: InboxItem | None = None

    def put(self, item: InboxItem) -> None:
        """Hand ``item`` to the loop (any thread, also a signal handler)."""
        self._queue.put(item)

    @property
    def has_waiting(self) -> bool:
        """An item arrived while the loop waited (the next step must not sleep)."""
        return self._peeked is not None

    def drain(self) -> Iterator[InboxItem]:
        """Everything received so far, oldest first."""
        if self._peeked is not None:
            item, self._peeked = self._peeked, None
            yield item
        while True:
            try:
                yield self._queue.get_nowait()
            except queue.Empty:
                return

    def wait(self, seconds: float) -> None:
        """Block until an item arrives or ``seconds`` have passed."""
        # Keep the item aside rather than putting it back: re-queueing it would let a later
        # event (a task's exit) overtake it (that task's start).
        if self._peeked is not None:
            return
        try:
            self._peeked = self._queue.get(timeout=max(0.0, seconds))
        except queue.Empty:
            return
