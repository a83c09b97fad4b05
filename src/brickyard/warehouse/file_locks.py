"""An exclusive lock on a file, held against other threads and other processes alike.

POSIX record locks (``fcntl.lockf``) are what Java's ``FileChannel.lock`` takes on Linux, so the
Spark side can honour the same locks; but they belong to the process, not the thread (a second
``lockf`` from the same process succeeds at once), so a per-path thread lock is taken first.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_guard = threading.Lock()
_thread_locks: dict[Path, threading.Lock] = {}


def _thread_lock(path: Path) -> threading.Lock:
    with _guard:
        return _thread_locks.setdefault(path, threading.Lock())


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold ``path`` (created with its folders if missing) exclusively for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _thread_lock(path.resolve()), path.open("a+b") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
