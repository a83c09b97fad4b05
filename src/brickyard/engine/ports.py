"""What the engine needs from the outside, as protocols: the app wires concrete classes in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from brickyard.compute.process import ProcessSpec
from brickyard.executors.base import Executor
from brickyard.params import ResolutionContext, ResolvedTaskParameters, RunOverrides
from brickyard.spec import Task


class Launcher(Protocol):
    """Starts task processes in their own process groups and reports their exits."""

    def start(self, spec: ProcessSpec, token: int) -> None:
        """Start a process without waiting: ProcessStarted / ProcessStartFailed (with
        ``token``) is reported through the launcher's event callback, before the exit."""
        ...

    def terminate_group(self, pid: int, grace_seconds: float = 5.0) -> None:
        """SIGTERM the process group, SIGKILL it after the grace period (does not block)."""
        ...

    def adopt(self, pid: int, process_start: int | None) -> None:
        """Watch a process this launcher did not start; report its exit with status None."""
        ...

    def close(self) -> None:
        """Stop launching; running task processes are left alone."""
        ...


class ExecutorLookup(Protocol):
    """The task-type table as the engine sees it: executors and parameter rules."""

    def executor_for(self, task: Task) -> Executor | None:
        """The executor, or None for condition tasks and task types brickyard does not run."""
        ...

    def unsupported_reason(self, task: Task) -> str:
        """Why ``task`` cannot run."""
        ...

    def resolve_parameters(
        self,
        task: Task,
        job_parameters: Mapping[str, str],
        overrides: RunOverrides,
        ctx: ResolutionContext,
    ) -> ResolvedTaskParameters:
        """``task``'s parameters for one run, by its type's parameter rule."""
        ...
