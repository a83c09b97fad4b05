"""The runtime spec (``task_dir/spec.json``) every Python task process reads, and the plan that
starts it.

The format is shared with :mod:`brickyard.runtime` (see ``brickyard.runtime.spec``): the
executors write it, the runtime reads it. Kind-specific fields come from each executor; this
module adds what every task needs (identity, roots, task values, environment).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.compute.environments import EnvironmentCache, PythonEnvironment
from brickyard.compute.process import ProcessSpec
from brickyard.executors.base import TaskLaunchRequest, TaskProcessPlan
from brickyard.spec import ClusterSpec

SPEC_VERSION = 1

KIND_PYTHON_FILE = "python_file"
KIND_NOTEBOOK = "notebook"
KIND_PYTHON_WHEEL = "python_wheel"


@dataclass(frozen=True)
class TaskFiles:
    """The files of one task-run attempt inside its ``task_dir``."""

    spec: Path
    result: Path
    stdout: Path
    stderr: Path
    output_notebook: Path

    @classmethod
    def of(cls, task_dir: Path) -> TaskFiles:
        """The standard file names under ``task_dir``."""
        folder = Path(task_dir).absolute()
        return cls(
            spec=folder / "spec.json",
            result=folder / "result.json",
            stdout=folder / "stdout.log",
            stderr=folder / "stderr.log",
            output_notebook=folder / "notebook.ipynb",
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


def write_runtime_spec(
    request: TaskLaunchRequest,
    *,
    kind: str,
    cwd: Path,
    environment: PythonEnvironment,
    fields: Mapping[str, Any],
    output_notebook: Path | None = None,
) -> TaskProcessPlan:
    """Write ``spec.json`` into the task folder and return the process that runs it.

    ``fields`` are the kind-specific ones (``python_file``/``argv``, ``package_name``/
    ``entry_point``/``argv``, or the notebook fields).
    """
    files = TaskFiles.of(request.task_dir)
    if not files.spec.parent.is_dir():  # a stat is far cheaper than mkdir(exist_ok=True)
        files.spec.parent.mkdir(parents=True)
    # A result left by an earlier process in this folder must never be read as this one's.
    files.result.unlink(missing_ok=True)
    settings = request.settings
    env = cluster_environment_variables(request)
    spec: dict[str, Any] = {
        "version": SPEC_VERSION,
        "kind": kind,
        "task_key": request.task.task_key,
        "job_id": request.job_id,
        "job_run_id": request.job_run_id,
        "task_run_id": request.task_run_id,
        "attempt_number": request.attempt_number,
        **fields,
        "job_parameters": dict(request.job_parameters),
        "output_notebook": str(output_notebook) if output_notebook is not None else None,
        "cwd": str(cwd),
        "env": env,
        "sys_path": list(environment.site_packages),
        "task_values": {key: dict(values) for key, values in request.upstream_task_values.items()},
        "result_file": str(files.result),
        "home": str(settings.home),
        "workspace_root": str(settings.workspace_root),
        "dbfs_root": str(settings.dbfs_root),
        "volumes_root": str(settings.volumes_root),
        "secrets_file": str(settings.secrets_file),
        "pip_cache_root": str(settings.environments_root / "pip"),
        "control_socket": str(request.control_socket) if request.control_socket else None,
    }
    _write_spec_file(files.spec, spec)
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
    return TaskProcessPlan(
        process=process, result_file=files.result, output_notebook=output_notebook
    )


def _write_spec_file(path: Path, payload: Mapping[str, Any]) -> None:
    # Written before the process that reads it is started, into a fresh folder: nothing can
    # see it half-written, so no temporary file and rename (a rename costs milliseconds on
    # some filesystems, on every task).
    path.write_text(json.dumps(payload), encoding="utf-8")  # compact: the C encoder
