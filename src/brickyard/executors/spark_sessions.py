"""Which Spark session a Python task process gets (``RuntimeSpec.spark``).

A task with a cluster (its ``new_cluster``, a ``job_clusters`` entry by ``job_cluster_key``,
an ``existing_cluster_id``) connects to that cluster's Spark Connect server, whose address the
runtime asks the engine for the first time the task uses ``spark``. Any other task
(serverless, ``environment_key``, a plain local run) gets a classic session in its own
process over the lakehouse catalogs.

Kept cheap, since it runs on the engine loop for every task: whether Spark is installed is
found once per process, and the lakehouse catalog jar is compiled with javac once per home
(the first LOCAL task ever planned there) and only looked up after that.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from brickyard.compute.spark.installation import SparkInstallation, find_spark
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar, catalog_jar_path
from brickyard.errors import SparkUnavailableError
from brickyard.executors.base import TaskLaunchRequest
from brickyard.task_protocol import SparkMode, SparkSessionSpec

LOCAL_SESSION_CONF = {
    # A task's log is no terminal: no progress bars in it.
    "spark.ui.showConsoleProgress": "false",
    # The driver listens on loopback (as a cluster's driver does): a host name that does not
    # resolve (containers, VPNs) must not fail the session.
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


def spark_session_spec(request: TaskLaunchRequest) -> SparkSessionSpec | None:
    """The task's session, or None when this machine cannot run Spark (no pyspark or Java):
    the runtime then says so if the task's code touches ``spark``."""
    installation = _installation()
    if installation is None:
        return None
    app_name = f"{request.task.task_key} (run {request.job_run_id})"
    if has_cluster(request):
        return SparkSessionSpec(mode=SparkMode.CLUSTER, app_name=app_name)
    settings = request.settings
    jar = _catalog_jar(installation, settings.spark_root)
    return SparkSessionSpec(
        mode=SparkMode.LOCAL,
        conf={**LOCAL_SESSION_CONF, **catalog_conf(settings.lakehouse_root)},
        jars=(str(jar),),
        app_name=app_name,
    )


def has_cluster(request: TaskLaunchRequest) -> bool:
    """Whether the task names a cluster (so its Spark runs there, not in its process)."""
    task = request.task
    return bool(task.new_cluster is not None or task.job_cluster_key or task.existing_cluster_id)


def _installation() -> SparkInstallation | None:
    try:
        return find_spark()  # cached: found once per process
    except SparkUnavailableError:
        return None


def _catalog_jar(installation: SparkInstallation, spark_root: Path) -> Path:
    target = _jar_path(installation, spark_root)
    if target.exists():
        return target
    # Compiled by this process for another home already (tests make many): a copy is ~1 ms
    # where javac takes seconds.
    built = _built_jars.get(target.name)
    if built is not None and built.exists():
        _copy(built, target)
    else:
        catalog_jar(installation, spark_root)  # javac, once per home and Spark version
    _built_jars[target.name] = target
    return target


_built_jars: dict[str, Path] = {}
"""Catalog jars this process compiled or copied, by file name (which names their content)."""


@functools.cache
def _jar_path(installation: SparkInstallation, spark_root: Path) -> Path:
    # The path hashes the catalog's sources: once per Spark folder is enough.
    return catalog_jar_path(installation, spark_root)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)  # atomic: a task never sees half a jar
