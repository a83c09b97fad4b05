"""``notebook_task``: a notebook run with widgets; ``runs/get-output`` shows its exit value."""

from __future__ import annotations

from brickyard.executors.definition import ExecutorServices, TaskOutput, TaskTypeDefinition
from brickyard.executors.notebook.executor import NotebookExecutor
from brickyard.executors.notebook.output import read_executed_notebook
from brickyard.executors.notebook.parameters import notebook_parameters
from brickyard.executors.notebook.sources import notebook_sources
from brickyard.spec import TaskType
from brickyard.task_protocol import RuntimeKind


def _executor(services: ExecutorServices) -> NotebookExecutor:
    return NotebookExecutor(services.workspace, services.environments)


DEFINITION = TaskTypeDefinition(
    task_type=TaskType.NOTEBOOK,
    parameters=notebook_parameters,
    runtime_kind=RuntimeKind.NOTEBOOK,
    executor=_executor,
    output=TaskOutput.NOTEBOOK_OUTPUT,
    sources=notebook_sources,
)

__all__ = ["DEFINITION", "NotebookExecutor", "notebook_parameters", "read_executed_notebook"]
