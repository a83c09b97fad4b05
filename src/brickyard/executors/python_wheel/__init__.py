"""``python_wheel_task``: an installed package's entry point; its output is its logs."""

from __future__ import annotations

from brickyard.executors.definition import ExecutorServices, TaskOutput, TaskTypeDefinition
from brickyard.executors.python_wheel.executor import PythonWheelExecutor, wheel_argv
from brickyard.executors.python_wheel.parameters import python_wheel_parameters
from brickyard.spec import TaskType
from brickyard.task_protocol import RuntimeKind


def _executor(services: ExecutorServices) -> PythonWheelExecutor:
    return PythonWheelExecutor(services.environments)


DEFINITION = TaskTypeDefinition(
    task_type=TaskType.PYTHON_WHEEL,
    parameters=python_wheel_parameters,
    runtime_kind=RuntimeKind.PYTHON_WHEEL,
    executor=_executor,
    output=TaskOutput.LOGS,
)

__all__ = ["DEFINITION", "PythonWheelExecutor", "python_wheel_parameters", "wheel_argv"]
