"""Call an installed package's entry point.

The package comes from the task's ``libraries`` (installed into a cached environment); the
runtime finds ``entry_point`` in the package metadata, else calls ``package.entry_point()``.
Positional parameters are ``sys.argv[1:]``; named parameters become ``--key=value``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from brickyard.compute.environments import EnvironmentCache
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.launch_errors import missing_task_object
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.process_plan import plan_task_process, task_environment
from brickyard.spec import TaskType
from brickyard.task_protocol import PythonWheelPayload, TaskFiles


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
            raise missing_task_object(request.task, TaskType.PYTHON_WHEEL)
        environment = task_environment(request, self._environments)
        parameters = request.parameters
        payload = PythonWheelPayload(
            package_name=wheel_task.package_name,
            entry_point=wheel_task.entry_point,
            argv=tuple(wheel_argv(parameters.argv, parameters.named_parameters)),
        )
        return plan_task_process(
            request,
            payload=payload,
            cwd=TaskFiles.of(request.task_dir).folder,
            environment=environment,
        )

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The result file, with the tail of the entry point's stdout and stderr as ``logs``."""
        return read_outcome_files(plan, exit_status, include_logs=True)
