"""Run a JAR's main class with ``spark-submit --class`` on a driver sized like the task's
cluster; the driver's stdout and stderr are the task's logs."""

from __future__ import annotations

from pathlib import Path

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.jar_libraries import LibraryJars
from brickyard.compute.spark.submit import DriverOptions, jar_task_argv
from brickyard.errors import TaskLaunchError
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.launch_errors import missing_task_object
from brickyard.executors.spark_driver import prepare_driver, read_driver_outcome
from brickyard.spec import TaskType


class SparkJarExecutor:
    """Prepares the driver of a ``spark_jar_task`` and reads how it ended."""

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """The driver process; raises TaskLaunchError (no main class, no jar holding it) or
        LibraryInstallationError (a jar or maven library that cannot be had)."""
        jar_task = request.task.spark_jar_task
        if jar_task is None:
            raise missing_task_object(request.task, TaskType.SPARK_JAR)
        main_class = (jar_task.main_class_name or "").strip()
        if not main_class:
            raise TaskLaunchError(
                "spark_jar_task.main_class_name is required: the class whose main method runs",
                termination_code="INVALID_RUN_CONFIGURATION",
            )

        def argv(
            installation: SparkInstallation, options: DriverOptions, jars: LibraryJars
        ) -> list[str]:
            # the jar libraries are where the main class is looked for first, then maven's
            candidates: list[Path] = [*jars.jar_files, *jars.maven_jars]
            return jar_task_argv(
                installation,
                options,
                main_class=main_class,
                candidates=candidates,
                parameters=request.parameters.argv,
            )

        extra = [jar_task.jar_uri] if jar_task.jar_uri else []
        return prepare_driver(request, argv, extra_jars=extra)

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The driver's result, its logs, and the Java exception as the message."""
        return read_driver_outcome(plan, exit_status)
