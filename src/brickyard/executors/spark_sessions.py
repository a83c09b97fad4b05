"""Which Spark session a Python task process gets (``RuntimeSpec.spark``).

A task with a cluster (its ``new_cluster``, a ``job_clusters`` entry by ``job_cluster_key``,
an ``existing_cluster_id``) connects to that cluster's Spark Connect server, whose address the
runtime asks the engine for the first time the task uses ``spark``. Any other task
(serverless, ``environment_key``, a plain local run) gets a classic session in its own
process over the lakehouse catalogs.

Kept cheap, since it runs on the engine loop for every task: pyspark is found without being
imported (importing it and asking Java its version cost ~0.3 s, a third more than a whole
one-task ``brickyard run``), and the lakehouse catalog jar is compiled with javac once per
home (the first LOCAL task ever planned there; that is when Java is checked) and only looked
up after that.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
from pathlib import Path

from brickyard.compute.spark.installation import find_spark
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
_VERSION = re.compile(r"""__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""")


def spark_session_spec(request: TaskLaunchRequest) -> SparkSessionSpec | None:
    """The task's session, or None when this machine cannot run Spark (no pyspark; for a
    task without a cluster also no Java): the runtime says so if the task touches ``spark``."""
    version = pyspark_version()
    if version is None:
        return None
    app_name = f"{request.task.task_key} (run {request.job_run_id})"
    if has_cluster(request):
        # Spark runs in the cluster's server: the engine checks Java when it starts it.
        return SparkSessionSpec(mode=SparkMode.CLUSTER, app_name=app_name)
    settings = request.settings
    jar = _catalog_jar(version, settings.spark_root)
    if jar is None:
        return None
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


@functools.cache
def pyspark_version() -> str | None:
    """The installed pyspark's version, read from its ``version.py`` without importing it;
    None without pyspark, or for ``pyspark-client`` (no Spark jars: it cannot run Spark)."""
    spec = importlib.util.find_spec("pyspark")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent
    if not (folder / "jars").is_dir():
        return None
    try:
        match = _VERSION.search((folder / "version.py").read_text(encoding="utf-8"))
    except OSError:
        return None
    return match.group(1) if match else None


def _catalog_jar(version: str, spark_root: Path) -> Path | None:
    target = _jar_path(version, spark_root)
    if target.exists():
        return target
    # Compiled by this process for another home already (tests make many): a copy is ~1 ms
    # where javac takes seconds.
    built = _built_jars.get(target.name)
    if built is not None and built.exists():
        _copy(built, target)
    else:
        try:
            installation = find_spark()  # cached: pyspark imported, Java checked, once
        except SparkUnavailableError:
            return None
        catalog_jar(installation, spark_root)  # javac, once per home and Spark version
    _built_jars[target.name] = target
    return target


_built_jars: dict[str, Path] = {}
"""Catalog jars this process compiled or copied, by file name (which names their content)."""


@functools.cache
def _jar_path(version: str, spark_root: Path) -> Path:
    # The path hashes the catalog's sources: once per Spark folder is enough.
    return catalog_jar_path(version, spark_root)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)  # atomic: a task never sees half a jar
