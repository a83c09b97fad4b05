"""``spark_python_task``: run a Python file with its parameters as ``sys.argv[1:]``."""

from __future__ import annotations

from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.paths import resolve_local_path
from brickyard.errors import InvalidInputError, NotFoundError, TaskLaunchError
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.runtime_spec import KIND_PYTHON_FILE, task_environment, write_runtime_spec
from brickyard.workspace import Workspace


class PythonScriptExecutor:
    """Resolves ``python_file`` (workspace, relative, ``dbfs:/``, ``/Volumes/`` paths) and runs
    it in the file's own folder."""

    def __init__(self, workspace: Workspace, environments: EnvironmentCache) -> None:
        self._workspace = workspace
        self._environments = environments

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """Write the runtime spec; raises TaskLaunchError when the file does not exist."""
        python_task = request.task.spark_python_task
        if python_task is None:
            raise TaskLaunchError(
                f"task {request.task.task_key!r} has no spark_python_task",
                termination_code="INVALID_RUN_CONFIGURATION",
            )
        try:
            python_file = resolve_local_path(
                python_task.python_file,
                base_dir=request.base_dir,
                settings=request.settings,
                workspace=self._workspace,
            )
        except NotFoundError as exc:
            raise TaskLaunchError(str(exc), termination_code="RESOURCE_NOT_FOUND") from exc
        except InvalidInputError as exc:
            raise TaskLaunchError(str(exc), termination_code="INVALID_RUN_CONFIGURATION") from exc
        environment = task_environment(request, self._environments)
        return write_runtime_spec(
            request,
            kind=KIND_PYTHON_FILE,
            cwd=python_file.parent,
            environment=environment,
            fields={"python_file": str(python_file), "argv": list(request.parameters.argv)},
        )

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The result file, with the tail of the script's stdout and stderr as ``logs``."""
        return read_outcome_files(plan, exit_status, include_logs=True)
