"""Which Spark session a Python task process gets (``RuntimeSpec.spark``).

A task with a cluster (its ``new_cluster``, a ``job_clusters`` entry by ``job_cluster_key``,
an ``existing_cluster_id``) connects to that cluster's Spark Connect server, whose address the
runtime asks the engine for the first time the task uses ``spark``. Any other task
(serverless, ``environment_key``, a plain local run) gets a classic session in its own
process over the lakehouse catalogs.

Kept cheap, since it runs on the engine loop for every task: whether Spark is installed is
found once per process, and the lakehouse catalog jar (compiled with javac on first use) is
looked up once per Spark folder and only for LOCAL sessions.
"""

from __future__ import annotations

import functools
from pathlib import Path

from brickyard.compute.spark.installation import SparkInstallation, find_spark
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar
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
    jar = _cached_catalog_jar(installation, spark_root)
    if not jar.exists():  # removed since (a cleaned cache): compile it again
        _cached_catalog_jar.cache_clear()
        jar = _cached_catalog_jar(installation, spark_root)
    return jar


@functools.cache
def _cached_catalog_jar(installation: SparkInstallation, spark_root: Path) -> Path:
    # catalog_jar hashes the catalog's sources on every call; once per Spark folder is enough.
    return catalog_jar(installation, spark_root)
