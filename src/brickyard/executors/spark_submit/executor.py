"""Run ``spark-submit`` with the task's own arguments (``--class``, ``--jars``, ``--conf``,
a ``.jar`` or ``.py`` application) on a driver sized like the task's cluster."""

from __future__ import annotations

from pathlib import Path

from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.paths import resolve_local_path
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.jar_libraries import LibraryJars
from brickyard.compute.spark.submit import DriverOptions, submit_task_argv
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.launch_errors import missing_task_object
from brickyard.executors.process_plan import task_environment
from brickyard.executors.spark_driver import prepare_driver, read_driver_outcome
from brickyard.spec import TaskType
from brickyard.workspace import Workspace


class SparkSubmitExecutor:
    """Prepares the driver of a ``spark_submit_task`` and reads how it ended."""

    def __init__(self, environments: EnvironmentCache) -> None:
        self._environments = environments

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """The driver process; raises TaskLaunchError (no application in the parameters) or
        LibraryInstallationError (a library that cannot be had)."""
        if request.task.spark_submit_task is None:
            raise missing_task_object(request.task, TaskType.SPARK_SUBMIT)
        settings = request.settings
        workspace = Workspace(settings.workspace_root)

        def find_application(path: str) -> Path:
            # found as a library path is: dbfs:/, /Volumes/, the workspace, the job's folder
            return resolve_local_path(
                path, base_dir=request.base_dir, settings=settings, workspace=workspace
            )

        def argv(
            installation: SparkInstallation, options: DriverOptions, _jars: LibraryJars
        ) -> list[str]:
            return submit_task_argv(
                installation,
                options,
                request.parameters.argv,
                settings=settings,
                find_application=find_application,
            )

        # whl, pypi and requirements libraries: the Python application's environment
        environment = task_environment(request, self._environments)
        return prepare_driver(request, argv, python=environment.python)

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The driver's result, its logs, and the Java exception as the message."""
        return read_driver_outcome(plan, exit_status)
