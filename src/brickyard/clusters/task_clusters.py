"""The ``spark_cluster`` control op: a task process asks for its cluster the first time its
code uses ``spark``; this finds the task's compute in the stored run, starts the cluster if
it must, and answers with the Spark Connect address.

Started on demand rather than before the task, so a task on a cluster whose code never
touches ``spark`` costs no JVM. Tasks of one run that name one ``job_cluster_key`` share one
cluster (created on first use with the ``jar``/``maven`` libraries of every task on it, ended
when the run ends); a task's own ``new_cluster`` is a cluster of its own; an
``existing_cluster_id`` that is terminated is started, as Databricks does. An
``existing_cluster_id`` this brickyard does not know (a job written against a Databricks
workspace, an ADF linked service) gets a default cluster under that id, said in the task's
log, so such jobs run unchanged.

The answer carries what the task's log should say about its cluster (``notes``: sizes capped
by this machine, another Spark than the runtime bundles) and the jars of libraries installed
on the running cluster after its server started (``artifacts``, which the task adds to its
Spark Connect session).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from brickyard import storage
from brickyard.clusters.runtime import ClusterStartError
from brickyard.clusters.service import ClusterService
from brickyard.errors import BrickyardError, NotFoundError
from brickyard.spec import ClusterSpec, JobSettings, Library, Task, parse_stored_settings

SPARK_CLUSTER_OP = "spark_cluster"
CLUSTER_START_TIMEOUT_SECONDS = 600.0
"""How long a task waits for its cluster (a JVM start on a loaded 2-core machine is ~20 s;
a standalone master that is busy can take longer)."""


class TaskClusters:
    """Answers ``spark_cluster`` requests for the tasks of runs in ``database``."""

    def __init__(
        self,
        database: storage.Database,
        clusters: ClusterService,
        *,
        timeout: float = CLUSTER_START_TIMEOUT_SECONDS,
    ) -> None:
        self._db = database
        self._clusters = clusters
        self._timeout = timeout

    def answer(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """The reply to one request: ``{"ok": true, "remote": "sc://...", ...}`` or the error."""
        task_run_id = payload.get("task_run_id")
        if not isinstance(task_run_id, int):
            return {"ok": False, "error": "spark_cluster needs the task_run_id of the task"}
        try:
            task, cluster_id, notes = self.cluster_of(task_run_id)
            running = self._clusters.wait_running(cluster_id, self._timeout)
            failures = self._clusters.libraries.failures(cluster_id, task.libraries or ())
            if failures:
                return {"ok": False, "error": failures[0]}
            self._clusters.attach(cluster_id, task_run_id)
            started_with = set(running.jars)
            artifacts = [
                str(jar)
                for jar in self._clusters.libraries.classpath(cluster_id)
                if str(jar) not in started_with
            ]
        except (BrickyardError, ClusterStartError) as error:
            return {"ok": False, "error": str(error)}
        return {
            "ok": True,
            "remote": running.connect_url,
            "cluster_id": cluster_id,
            "spark_context_id": running.spark_context_id,
            "notes": [*notes, *running.notes],
            "artifacts": artifacts,
        }

    def cluster_of(self, task_run_id: int) -> tuple[Task, str, list[str]]:
        """Task run ``task_run_id``'s task, the id of its cluster (started, or being started)
        and what its log should say about how the cluster was found."""
        with self._db.read() as conn:
            task_run = storage.read_task_run(conn, task_run_id)
            run = storage.read_run(conn, task_run.job_run_id)
        settings = parse_stored_settings(run.settings, source=f"run {run.run_id}")
        task = next((t for t in settings.tasks or () if t.task_key == task_run.task_key), None)
        if task is None:
            raise BrickyardError(f"run {run.run_id} has no task {task_run.task_key!r}")
        if task.existing_cluster_id:
            notes = self._existing_cluster(task.existing_cluster_id)
            self._clusters.ensure_running(task.existing_cluster_id)
            return task, task.existing_cluster_id, notes
        key, spec = _job_cluster_of(task, settings)
        libraries = _libraries_on(key, task, settings)
        cluster_id = self._clusters.ensure_job_cluster(run.run_id, run.job_id, key, spec, libraries)
        # A repair runs tasks again on the run's cluster, which ended with the first attempt.
        self._clusters.ensure_running(cluster_id)
        return task, cluster_id, []

    def _existing_cluster(self, cluster_id: str) -> list[str]:
        try:
            self._clusters.get(cluster_id)
        except NotFoundError:
            self._clusters.adopt_unknown(cluster_id)
            return [
                f"existing_cluster_id {cluster_id} is not a cluster of this brickyard: it was "
                "created with the default spec (one Standard_DS3_v2 driver; change it with "
                "clusters/edit)"
            ]
        return []


def _job_cluster_of(task: Task, settings: JobSettings) -> tuple[str, ClusterSpec]:
    if task.new_cluster is not None:
        return task.task_key, task.new_cluster
    for cluster in settings.job_clusters or ():
        if cluster.job_cluster_key == task.job_cluster_key and cluster.new_cluster is not None:
            return cluster.job_cluster_key, cluster.new_cluster
    raise BrickyardError(
        f"task {task.task_key!r} has no cluster (job_cluster_key, new_cluster or "
        "existing_cluster_id), so it runs Spark in its own process"
    )


def _libraries_on(key: str, task: Task, settings: JobSettings) -> Sequence[Library]:
    """The libraries of every task of the run on job cluster ``key`` (Databricks installs a
    task's libraries on its cluster, so the tasks sharing it share them)."""
    if task.new_cluster is not None:
        return list(task.libraries or ())
    found: list[Library] = []
    for other in settings.tasks or ():
        if other.job_cluster_key == key and other.new_cluster is None:
            found.extend(lib for lib in other.libraries or () if lib not in found)
    return found
