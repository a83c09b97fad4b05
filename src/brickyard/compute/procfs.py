"""Process identity from ``/proc``: the start time that makes a pid safe against reuse.

A pid alone does not identify a process: after it ends the kernel may hand the same number to
another one. ``/proc/<pid>/stat`` field 22 (``starttime``, clock ticks since boot) does not
change for the life of a process, so ``(pid, starttime)`` names exactly one process.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC_ROOT = Path("/proc")

# Fields of /proc/<pid>/stat after the ``(comm)`` field: field 3 (state) is index 0.
_STATE_INDEX = 0
_STARTTIME_INDEX = 22 - 3


def _read_stat_fields(pid: int) -> list[str] | None:
    """The fields after ``(comm)`` in ``/proc/<pid>/stat``, or None when there is no such pid."""
    try:
        raw = (PROC_ROOT / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm may itself contain spaces and parentheses: it ends at the LAST ')'.
    _, _, rest = raw.rpartition(")")
    fields = rest.split()
    return fields if len(fields) > _STARTTIME_INDEX else None


def has_procfs() -> bool:
    """Whether ``/proc/<pid>/stat`` is available (Linux)."""
    return (PROC_ROOT / "self" / "stat").exists()


def read_process_start(pid: int) -> int | None:
    """The start time (clock ticks since boot) of ``pid``, or None when unknown or gone."""
    fields = _read_stat_fields(pid)
    return int(fields[_STARTTIME_INDEX]) if fields is not None else None


def is_process_alive(pid: int, process_start: int | None) -> bool:
    """Whether the process ``pid`` that started at ``process_start`` still runs.

    A zombie (ended, not yet reaped) counts as gone, and so does a pid now used by a process
    with another start time. Without ``/proc`` only the pid can be checked.
    """
    if pid <= 0:
        return False
    if has_procfs():
        fields = _read_stat_fields(pid)
        if fields is None or fields[_STATE_INDEX] in {"Z", "X", "x"}:
            return False
        return process_start is None or int(fields[_STARTTIME_INDEX]) == process_start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
