"""The settings models of runs this process created, handed from the request side to the loop
so that a run is parsed once: runs from the store (other processes, recovery, restarts) are
parsed when loaded."""

from __future__ import annotations

import threading
from typing import Any

from brickyard import storage
from brickyard.spec import JobSettings, parse_stored_settings


class CreatedSettings:
    """Run id -> the model its run was created with (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_run: dict[int, tuple[dict[str, Any], JobSettings]] = {}

    def remember(self, record: storage.RunRecord, settings: JobSettings) -> None:
        """``record`` was created from ``settings`` (its transaction may still roll back)."""
        with self._lock:
            self._by_run[record.run_id] = (record.settings, settings)

    def forget(self, run_id: int) -> None:
        """Drop the entry of a run the loop already drives (an idempotent re-submission of it
        remembered it again)."""
        with self._lock:
            self._by_run.pop(run_id, None)

    def take(self, record: storage.RunRecord) -> JobSettings:
        """The model of a stored run, forgotten here: the one it was created with, when the
        stored settings are those (a rolled-back creation may have left another run's id
        behind), else parsed."""
        with self._lock:
            entry = self._by_run.pop(record.run_id, None)
        return self._check(record, entry)

    def peek(self, record: storage.RunRecord) -> JobSettings:
        """As :meth:`take`, but kept for a later take (a queued run not driven yet)."""
        with self._lock:
            entry = self._by_run.get(record.run_id)
        return self._check(record, entry)

    @staticmethod
    def _check(
        record: storage.RunRecord, entry: tuple[dict[str, Any], JobSettings] | None
    ) -> JobSettings:
        if entry is not None and entry[0] == record.settings:
            return entry[1]
        return parse_stored_settings(record.settings, source=f"run {record.run_id}")
