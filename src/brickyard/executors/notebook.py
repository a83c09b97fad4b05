"""``notebook_task``: run a workspace or local notebook with its parameters as widgets."""

from __future__ import annotations

from brickyard.compute.environments import EnvironmentCache
from brickyard.errors import InvalidInputError, NotFoundError, TaskLaunchError
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.runtime_spec import (
    KIND_NOTEBOOK,
    TaskFiles,
    task_environment,
    write_runtime_spec,
)
from brickyard.workspace import Workspace


class NotebookExecutor:
    """Resolves the notebook (relative paths against the job file's folder) and runs it in the
    notebook's own folder, as Databricks sets the working directory."""

    def __init__(self, workspace: Workspace, environments: EnvironmentCache) -> None:
        self._workspace = workspace
        self._environments = environments

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """Write the runtime spec; raises TaskLaunchError when the notebook does not exist."""
        notebook_task = request.task.notebook_task
        if notebook_task is None:
            raise TaskLaunchError(
                f"task {request.task.task_key!r} has no notebook_task",
                termination_code="INVALID_RUN_CONFIGURATION",
            )
        try:
            notebook = self._workspace.resolve_notebook(
                notebook_task.notebook_path, base_dir=request.base_dir
            )
        except NotFoundError as exc:
            raise TaskLaunchError(str(exc), termination_code="RESOURCE_NOT_FOUND") from exc
        except InvalidInputError as exc:
            raise TaskLaunchError(str(exc), termination_code="INVALID_RUN_CONFIGURATION") from exc
        environment = task_environment(request, self._environments)
        output_notebook = TaskFiles.of(request.task_dir).output_notebook
        return write_runtime_spec(
            request,
            kind=KIND_NOTEBOOK,
            cwd=notebook.file.parent,
            environment=environment,
            fields={
                "notebook_file": str(notebook.file),
                "notebook_workspace_path": notebook.workspace_path,
                "notebook_format": notebook.format.value,
                "widgets": dict(request.parameters.widgets),
            },
            output_notebook=output_notebook,
        )

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The result file; a notebook's output lives in the executed notebook, not ``logs``."""
        return read_outcome_files(plan, exit_status, include_logs=False)
