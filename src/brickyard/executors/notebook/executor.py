"""Run a workspace or local notebook with its parameters as widgets."""

from __future__ import annotations

from brickyard.compute.environments import EnvironmentCache
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.launch_errors import launch_errors, missing_task_object
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.process_plan import plan_task_process, task_environment
from brickyard.spec import TaskType
from brickyard.task_protocol import NotebookPayload, TaskFiles
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
            raise missing_task_object(request.task, TaskType.NOTEBOOK)
        with launch_errors():
            notebook = self._workspace.resolve_notebook(
                notebook_task.notebook_path, base_dir=request.base_dir
            )
        environment = task_environment(request, self._environments)
        payload = NotebookPayload(
            notebook_file=notebook.file,
            notebook_workspace_path=notebook.workspace_path,
            notebook_format=notebook.format.value,
            widgets=dict(request.parameters.widgets),
            output_notebook=TaskFiles.of(request.task_dir).output_notebook,
        )
        return plan_task_process(
            request, payload=payload, cwd=notebook.file.parent, environment=environment
        )

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The result file; a notebook's output lives in the executed notebook, not ``logs``."""
        return read_outcome_files(plan, exit_status, include_logs=False)
