"""``python_wheel_task``: call an installed package's entry point.

The package comes from the task's ``libraries`` (installed into a cached environment); the
runtime finds ``entry_point`` in the package metadata, else calls ``package.entry_point()``.
Positional parameters are ``sys.argv[1:]``; named parameters become ``--key=value``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from brickyard.compute.environments import EnvironmentCache
from brickyard.errors import TaskLaunchError
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.runtime_spec import (
    KIND_PYTHON_WHEEL,
    TaskFiles,
    task_environment,
    write_runtime_spec,
)


def wheel_argv(positional: Sequence[str], named: Mapping[str, str]) -> list[str]:
    """``sys.argv[1:]`` of a wheel task: the positional parameters, else ``--k=v`` pairs."""
    if positional:
        return list(positional)
    return [f"--{key}={value}" for key, value in named.items()]


class PythonWheelExecutor:
    """Installs the task's libraries and runs the wheel's entry point in the task folder."""

    def __init__(self, environments: EnvironmentCache) -> None:
        self._environments = environments

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """Write the runtime spec; raises LibraryInstallationError when a library cannot be
        installed."""
        wheel_task = request.task.python_wheel_task
        if wheel_task is None:
            raise TaskLaunchError(
                f"task {request.task.task_key!r} has no python_wheel_task",
                termination_code="INVALID_RUN_CONFIGURATION",
            )
        environment = task_environment(request, self._environments)
        parameters = request.parameters
        return write_runtime_spec(
            request,
            kind=KIND_PYTHON_WHEEL,
            cwd=TaskFiles.of(request.task_dir).spec.parent,
            environment=environment,
            fields={
                "package_name": wheel_task.package_name,
                "entry_point": wheel_task.entry_point,
                "argv": wheel_argv(parameters.argv, parameters.named_parameters),
            },
        )

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The result file, with the tail of the entry point's stdout and stderr as ``logs``."""
        return read_outcome_files(plan, exit_status, include_logs=True)
