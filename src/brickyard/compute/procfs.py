"""Process liveness from ``/proc``: whether the process ``(pid, start time)`` still runs.

The stat file itself is parsed in one place, :mod:`brickyard.task_protocol.procfs` (the task
runtime needs it too and may not import compute).
"""

from __future__ import annotations

import os

from brickyard.task_protocol.procfs import has_procfs, read_process_start, read_process_stat

__all__ = ["has_procfs", "is_process_alive", "read_process_start"]


def is_process_alive(pid: int, process_start: int | None) -> bool:
    """Whether the process ``pid`` that started at ``process_start`` still runs.

    A zombie (ended, not yet reaped) counts as gone, and so does a pid now used by a process
    with another start time. Without ``/proc`` only the pid can be checked.
    """
    if pid <= 0:
        return False
    if has_procfs():
        stat = read_process_stat(pid)
        if stat is None or stat.is_gone:
            return False
        return process_start is None or stat.start_ticks == process_start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
