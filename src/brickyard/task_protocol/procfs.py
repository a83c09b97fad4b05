"""The one parser of ``/proc/<pid>/stat``: a process's state and start time.

A pid alone does not identify a process: after it ends the kernel may hand the same number to
another one. Field 22 (``starttime``, clock ticks since boot) does not change for the life of
a process, so ``(pid, starttime)`` names exactly one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC_ROOT = Path("/proc")

# Fields of /proc/<pid>/stat after the ``(comm)`` field: field 3 (state) is index 0.
_STATE_INDEX = 0
_STARTTIME_INDEX = 22 - 3


@dataclass(frozen=True)
class ProcessStat:
    """What brickyard reads from ``/proc/<pid>/stat``."""

    state: str
    """Field 3: ``R``, ``S``, ``Z`` (zombie), ..."""
    start_ticks: int
    """Field 22: the start time in clock ticks since boot."""

    @property
    def is_gone(self) -> bool:
        """Whether the process ended (a zombie not yet reaped counts as ended)."""
        return self.state in {"Z", "X", "x"}


def parse_process_stat(raw: str) -> ProcessStat | None:
    """Parse the text of a stat file; None when it is cut short or malformed."""
    # comm (field 2) may itself contain spaces and parentheses: it ends at the LAST ')'.
    fields = raw.rpartition(")")[2].split()
    if len(fields) <= _STARTTIME_INDEX:
        return None
    try:
        return ProcessStat(state=fields[_STATE_INDEX], start_ticks=int(fields[_STARTTIME_INDEX]))
    except ValueError:
        return None


def read_process_stat(pid: int) -> ProcessStat | None:
    """The stat of ``pid``, or None when there is no such process or no ``/proc``."""
    try:
        with (PROC_ROOT / str(pid) / "stat").open(encoding="utf-8", errors="replace") as stat:
            raw = stat.read()
    except OSError:
        return None
    return parse_process_stat(raw)


def read_process_start(pid: int) -> int | None:
    """The start time (clock ticks since boot) of ``pid``, or None when unknown or gone."""
    stat = read_process_stat(pid)
    return None if stat is None else stat.start_ticks


def has_procfs() -> bool:
    """Whether ``/proc/<pid>/stat`` is available (Linux)."""
    return (PROC_ROOT / "self" / "stat").exists()
