"""Encoded ``runs/get`` bodies of finished runs, reused while the run is unchanged.

Clients poll: the SDK waiter, Airflow and the UI read the same finished run again and again.
A finished run only changes when it is repaired or deleted, so its body is kept under the
run's version (:func:`brickyard.storage.read_run_version`, a narrow primary-key read) and
checked against the store on every hit. Nothing is cached for unfinished runs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Final

DEFAULT_CAPACITY: Final = 512
"""How many encoded bodies are kept (least recently used ones go first)."""


class RunBodyCache:
    """A thread-safe LRU of encoded bodies, each valid for one run version."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[Hashable, tuple[tuple[Any, ...], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: tuple[Any, ...]) -> bytes | None:
        """The body stored under ``key`` for exactly ``version``, if any."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, version: tuple[Any, ...], body: bytes) -> None:
        """Keep ``body`` for ``key`` at ``version``."""
        with self._lock:
            self._entries[key] = (version, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
