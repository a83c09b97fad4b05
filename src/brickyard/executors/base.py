"""The contract between the engine and the executors (one per task type).

An executor turns a task and its resolved parameters into a :class:`TaskProcessPlan` (a process
to start plus where its result file will be), and afterwards turns the result file and exit
status into a :class:`TaskOutcome`. Executors never touch the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from brickyard.compute.process import ProcessSpec
from brickyard.params import ResolvedTaskParameters
from brickyard.settings import Settings
from brickyard.spec import JobSettings, Task
from brickyard.states import ResultState, TerminationCode


@dataclass(frozen=True)
class TaskLaunchRequest:
    """Everything an executor needs to prepare one task-run attempt."""

    task: Task
    job_settings: JobSettings
    parameters: ResolvedTaskParameters
    job_id: int | None
    job_run_id: int
    task_run_id: int
    attempt_number: int
    task_dir: Path
    """A fresh folder for this task run: spec, logs, result file, executed notebook."""
    base_dir: Path | None
    """The job file's folder: relative notebook, script and library paths resolve against it."""
    settings: Settings
    upstream_task_values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Task values set so far in this job run, by task key (for ``taskValues.get``)."""
    job_parameters: Mapping[str, str] = field(default_factory=dict)
    control_socket: Path | None = None
    """The engine's control socket (``dbutils.notebook.run``); None where there is none."""


@dataclass(frozen=True)
class TaskProcessPlan:
    """A prepared attempt: the process to start and the files it will leave behind."""

    process: ProcessSpec
    result_file: Path
    output_notebook: Path | None = None


@dataclass(frozen=True)
class TaskOutcome:
    """How an attempt ended, as read from its result file and exit status."""

    result: ResultState
    """SUCCESS or FAILED (timeouts and cancellations are decided by the engine)."""
    message: str = ""
    """The task run's ``state_message``."""
    termination_code: TerminationCode | None = None
    error: str | None = None
    """The last line of the traceback (``runs/get-output`` ``error``)."""
    error_trace: str | None = None
    error_code: str | None = None
    """``{{tasks.<key>.error_code}}``: empty for success."""
    exit_value: str | None = None
    """``dbutils.notebook.exit`` value (already truncated to 5 MB)."""
    exit_value_truncated: bool = False
    task_values: Mapping[str, Any] = field(default_factory=dict)
    logs: str | None = None
    """The tail of stdout/stderr for python, wheel and JAR tasks (``runs/get-output`` ``logs``)."""
    logs_truncated: bool = False


class Executor(Protocol):
    """Prepares the process of one task type and reads its outcome."""

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """Write the runtime spec and return the process to start.

        Raises :class:`~brickyard.errors.TaskLaunchError` (missing notebook, file, package) or
        :class:`~brickyard.errors.LibraryInstallationError`; the engine turns either into a
        failed attempt with the error's message.
        """
        ...

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """Read the result file the process left (or explain why there is none)."""
        ...
