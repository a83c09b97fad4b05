"""What the engine asks a launcher to start, and what it gets back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ProcessSpec:
    """One task process to start in its own process group (session).

    A ``runtime_spec`` process is a brickyard task-runtime process: the launcher may fork it
    from the pre-warmed fork server (``sys_path`` is prepended in the child) or exec
    ``python -m brickyard.runtime <runtime_spec>`` with ``python``. Otherwise ``argv`` is
    executed as is.
    """

    stdout_path: Path
    stderr_path: Path
    cwd: Path
    runtime_spec: Path | None = None
    argv: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    python: str | None = None
    """The interpreter for a ``runtime_spec`` process when it cannot be forked."""
    sys_path: tuple[str, ...] = ()
    """Directories a forked runtime process puts first on ``sys.path`` (library environments)."""


@dataclass(frozen=True)
class LaunchedProcess:
    """A started task process. ``process_start`` guards against pid reuse (Linux start ticks)."""

    pid: int
    process_start: int | None


@dataclass(frozen=True)
class ProcessExit:
    """A task process ended. ``status`` is the exit code, minus the signal number when killed
    by a signal, or None when the process was adopted and its status cannot be known."""

    pid: int
    status: int | None


@dataclass(frozen=True)
class ProcessStarted:
    """A process asked for with :meth:`start` (identified by ``token``) is running."""

    token: int
    process: LaunchedProcess


@dataclass(frozen=True)
class ProcessStartFailed:
    """A process asked for with ``start`` (identified by ``token``) could not be started."""

    token: int
    message: str


ProcessEvent = ProcessExit | ProcessStarted | ProcessStartFailed
"""What a launcher reports, in order, from its background threads."""
