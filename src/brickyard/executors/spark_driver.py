"""What JAR and spark-submit tasks share: a driver process of their own, sized like the task's
cluster, with the lakehouse and the task's jars, run under the task-protocol wrapper
(:mod:`brickyard.compute.spark.driver_process`), and read back with its logs.

Why a driver per task rather than the cluster's shared Connect server: a JAR's ``main``
builds its own ``SparkSession`` in its own JVM (``spark-submit`` semantics, which the issue
asks for), and a Connect server cannot run a user's ``main`` class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from brickyard.compute.process import ProcessSpec
from brickyard.compute.spark import driver_process
from brickyard.compute.spark.installation import SparkInstallation, find_spark
from brickyard.compute.spark.jar_libraries import LibraryJars, library_jars
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar
from brickyard.compute.spark.sizing import SparkClusterPlan, plan_cluster
from brickyard.compute.spark.submit import DriverOptions
from brickyard.errors import SparkUnavailableError, TaskLaunchError
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.launch_errors import launch_errors
from brickyard.executors.outcome import read_outcome_files
from brickyard.executors.process_plan import cluster_of
from brickyard.spec import Library, unsupported_task_settings
from brickyard.states import ResultState, TerminationCode
from brickyard.task_protocol import TaskFiles

DRIVER_MODULE = driver_process.__name__

ArgvBuilder = Callable[[SparkInstallation, DriverOptions, LibraryJars], list[str]]
"""``(installation, driver options, the task's jars) -> spark-submit argv``."""


def cluster_plan(request: TaskLaunchRequest) -> SparkClusterPlan:
    """The task's cluster, sized for where it runs (a local default without compute)."""
    task = request.task
    if task.existing_cluster_id:
        # The all-purpose cluster's spec lives with the Clusters API; its driver runs here.
        cluster_id, name = task.existing_cluster_id, task.existing_cluster_id
    elif task.job_cluster_key:
        cluster_id = f"job-{request.job_run_id}-{task.job_cluster_key}"
        name = task.job_cluster_key
    else:
        cluster_id, name = f"task-{request.task_run_id}", task.task_key
    return plan_cluster(
        cluster_of(request),
        cluster_id=cluster_id,
        cluster_name=name,
        default_master=request.settings.spark_master,
    )


def prepare_driver(
    request: TaskLaunchRequest,
    argv_for: ArgvBuilder,
    *,
    extra_jars: Sequence[str] = (),
    python: str | None = None,
) -> TaskProcessPlan:
    """Resolve the task's jars, write the log's first lines and return the driver process.

    ``extra_jars`` are jar paths a task names outside ``libraries`` (``jar_uri``); ``python``
    is the interpreter of a Python application (the task's library environment; brickyard's
    own by default). Raises :class:`TaskLaunchError` (Spark missing, bad input) or
    ``LibraryInstallationError``.
    """
    settings = request.settings
    try:
        installation = find_spark()
    except SparkUnavailableError as error:
        raise TaskLaunchError(str(error), termination_code="DRIVER_ERROR") from error
    libraries = [*(request.task.libraries or []), *(Library(jar=path) for path in extra_jars)]
    with launch_errors():
        plan = cluster_plan(request)
        jars = library_jars(
            libraries, base_dir=request.base_dir, settings=settings, installation=installation
        )
        try:
            catalog = catalog_jar(installation, settings.spark_root)
        except SparkUnavailableError as error:
            raise TaskLaunchError(str(error), termination_code="DRIVER_ERROR") from error
        options = DriverOptions(
            plan=plan,
            extra_conf=catalog_conf(settings.lakehouse_root),
            jars=(catalog, *jars.all_jars),
        )
        argv = argv_for(installation, options, jars)
    files = TaskFiles.of(request.task_dir)
    files.folder.mkdir(parents=True, exist_ok=True)
    # A result left by an earlier process in this folder must never be read as this one's.
    files.result.unlink(missing_ok=True)
    _write_log_header(files.stderr, request, plan, jars)
    env = {
        **installation.environment(),
        # a .py application of spark-submit runs on brickyard's interpreter (it has pyspark),
        # or on the task's library environment layered on it
        "PYSPARK_PYTHON": python or settings.python_executable,
        **plan.env,
    }
    process = ProcessSpec(
        stdout_path=files.stdout,
        stderr_path=files.stderr,
        cwd=files.folder,
        argv=(settings.python_executable, "-m", DRIVER_MODULE, str(files.folder), *argv),
        env=env,
    )
    return TaskProcessPlan(process=process, result_file=files.result)


def _write_log_header(
    stderr: Path, request: TaskLaunchRequest, plan: SparkClusterPlan, jars: LibraryJars
) -> None:
    """What the task's log says once, before the driver's own output: the sizing caps, the
    skipped libraries, the settings brickyard does not act on."""
    lines = [*plan.notes, *jars.notes]
    lines += [
        f"warning: {problem.path}: {problem.message}"
        for problem in unsupported_task_settings(request.task)
    ]
    with stderr.open("a", encoding="utf-8") as log:
        log.writelines(f"{line}\n" for line in lines)


def read_driver_outcome(plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
    """The driver's result file with its logs; a failure's ``state_message`` is the Java
    exception line (Databricks shows it there for JAR tasks)."""
    outcome = read_outcome_files(plan, exit_status, include_logs=True)
    if (
        outcome.result is ResultState.FAILED
        and outcome.termination_code is TerminationCode.RUN_EXECUTION_ERROR
        and outcome.error
    ):
        return dataclasses.replace(outcome, message=outcome.error)
    return outcome
