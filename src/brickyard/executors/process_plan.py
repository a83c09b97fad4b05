"""The process plan every Python task process shares: its environment, its ``spec.json``
(through :mod:`brickyard.task_protocol`) and the process that runs it.

Each executor supplies its runtime kind's typed payload; this module adds what every task
needs (identity, roots, task values, environment).
"""

from __future__ import annotations

from pathlib import Path

from brickyard.compute.environments import EnvironmentCache, PythonEnvironment
from brickyard.compute.process import ProcessSpec
from brickyard.executors.base import TaskLaunchRequest, TaskProcessPlan
from brickyard.executors.spark_sessions import spark_session_spec
from brickyard.spec import ClusterSpec, unsupported_task_settings
from brickyard.task_protocol import (
    NotebookPayload,
    RuntimePayload,
    RuntimeSpec,
    TaskFiles,
    write_runtime_spec,
)


def task_environment(
    request: TaskLaunchRequest, environments: EnvironmentCache
) -> PythonEnvironment:
    """The Python environment with the task's libraries (built once per library set).

    Raises :class:`~brickyard.errors.LibraryInstallationError`.
    """
    return environments.ensure(
        request.task.libraries or [], base_dir=request.base_dir, settings=request.settings
    )


def cluster_of(request: TaskLaunchRequest) -> ClusterSpec | None:
    """The task's cluster spec: its ``new_cluster`` or the job cluster it names."""
    task = request.task
    if task.new_cluster is not None:
        return task.new_cluster
    if task.job_cluster_key is not None:
        for cluster in request.job_settings.job_clusters or ():
            if cluster.job_cluster_key == task.job_cluster_key:
                return cluster.new_cluster
    return None


def cluster_environment_variables(request: TaskLaunchRequest) -> dict[str, str]:
    """``spark_env_vars`` of the task's cluster: Databricks sets them in the driver process."""
    cluster = cluster_of(request)
    if cluster is None or not cluster.spark_env_vars:
        return {}
    return {str(name): str(value) for name, value in cluster.spark_env_vars.items()}


def plan_task_process(
    request: TaskLaunchRequest,
    *,
    payload: RuntimePayload,
    cwd: Path,
    environment: PythonEnvironment,
) -> TaskProcessPlan:
    """Write ``spec.json`` into the task folder and return the process that runs it."""
    files = TaskFiles.of(request.task_dir)
    if not files.folder.is_dir():  # a stat is far cheaper than mkdir(exist_ok=True)
        files.folder.mkdir(parents=True)
    # A result left by an earlier process in this folder must never be read as this one's.
    files.result.unlink(missing_ok=True)
    settings = request.settings
    env = cluster_environment_variables(request)
    spec = RuntimeSpec(
        task_key=request.task.task_key,
        job_id=request.job_id,
        job_run_id=request.job_run_id,
        task_run_id=request.task_run_id,
        attempt_number=request.attempt_number,
        result_file=files.result,
        payload=payload,
        job_parameters=dict(request.job_parameters),
        cwd=cwd,
        env=env,
        sys_path=tuple(environment.site_packages),
        task_values={key: dict(values) for key, values in request.upstream_task_values.items()},
        home=settings.home,
        workspace_root=settings.workspace_root,
        dbfs_root=settings.dbfs_root,
        volumes_root=settings.volumes_root,
        secrets_file=settings.secrets_file,
        pip_cache_root=settings.environments_root / "pip",
        control_socket=request.control_socket,
        warnings=tuple(str(problem) for problem in unsupported_task_settings(request.task)),
        spark=spark_session_spec(request),
    )
    write_runtime_spec(files.spec, spec)
    process = ProcessSpec(
        stdout_path=files.stdout,
        stderr_path=files.stderr,
        cwd=cwd,
        runtime_spec=files.spec,
        env=env,
        # With libraries, exec runs the environment's interpreter; a fork puts its
        # site-packages first on sys.path instead (the environment layers on the same base).
        python=environment.python if environment.site_packages else None,
        sys_path=environment.site_packages,
    )
    output_notebook = payload.output_notebook if isinstance(payload, NotebookPayload) else None
    return TaskProcessPlan(
        process=process, result_file=files.result, output_notebook=output_notebook
    )


def files_plan(task_dir: Path) -> TaskProcessPlan:
    """The plan of an attempt known only by its folder (an adopted or recovered process):
    enough to read its result and logs."""
    files = TaskFiles.of(task_dir)
    return TaskProcessPlan(
        process=ProcessSpec(
            stdout_path=files.stdout,
            stderr_path=files.stderr,
            cwd=files.folder,
            runtime_spec=files.spec,
        ),
        result_file=files.result,
    )
