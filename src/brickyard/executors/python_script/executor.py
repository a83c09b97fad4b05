"""Run a Python file with its parameters as ``sys.argv[1:]``."""

from __future__ import annotations

from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.paths import resolve_local_path
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.launch_errors import launch_errors, missing_task_object
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.process_plan import plan_task_process, task_environment
from brickyard.spec import TaskType
from brickyard.task_protocol import PythonFilePayload
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
            raise missing_task_object(request.task, TaskType.SPARK_PYTHON)
        with launch_errors():
            python_file = resolve_local_path(
                python_task.python_file,
                base_dir=request.base_dir,
                settings=request.settings,
                workspace=self._workspace,
            )
        environment = task_environment(request, self._environments)
        payload = PythonFilePayload(python_file=python_file, argv=tuple(request.parameters.argv))
        return plan_task_process(
            request, payload=payload, cwd=python_file.parent, environment=environment
        )

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The result file, with the tail of the script's stdout and stderr as ``logs``."""
        return read_outcome_files(plan, exit_status, include_logs=True)
