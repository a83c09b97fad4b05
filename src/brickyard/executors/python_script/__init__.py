"""``spark_python_task``: a Python file run as ``__main__``; its output is its logs."""

from __future__ import annotations

from brickyard.executors.definition import ExecutorServices, TaskOutput, TaskTypeDefinition
from brickyard.executors.python_script.executor import PythonScriptExecutor
from brickyard.executors.python_script.parameters import python_script_parameters
from brickyard.executors.python_script.sources import python_file_sources
from brickyard.spec import TaskType
from brickyard.task_protocol import RuntimeKind


def _executor(services: ExecutorServices) -> PythonScriptExecutor:
    return PythonScriptExecutor(services.workspace, services.environments)


DEFINITION = TaskTypeDefinition(
    task_type=TaskType.SPARK_PYTHON,
    parameters=python_script_parameters,
    runtime_kind=RuntimeKind.PYTHON_FILE,
    executor=_executor,
    output=TaskOutput.LOGS,
    sources=python_file_sources,
)

__all__ = ["DEFINITION", "PythonScriptExecutor", "python_script_parameters"]
