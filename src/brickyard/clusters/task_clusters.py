"""The ``spark_cluster`` control op: a task process asks for its cluster the first time its
code uses ``spark``; this finds the task's compute in the stored run, starts the cluster if
it must, and answers with the Spark Connect address.

Started on demand rather than before the task, so a task on a cluster whose code never
touches ``spark`` costs no JVM. Tasks of one run that name one ``job_cluster_key`` share one
cluster (created on first use, ended when the run ends); a task's own ``new_cluster`` is a
cluster of its own; an ``existing_cluster_id`` that is terminated is started, as Databricks
does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brickyard import storage
from brickyard.clusters.runtime import ClusterStartError
from brickyard.clusters.service import ClusterService
from brickyard.errors import BrickyardError
from brickyard.spec import ClusterSpec, Task, parse_stored_settings

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
        """The reply to one request: ``{"ok": true, "remote": "sc://..."}`` or the error."""
        task_run_id = payload.get("task_run_id")
        if not isinstance(task_run_id, int):
            return {"ok": False, "error": "spark_cluster needs the task_run_id of the task"}
        try:
            cluster_id = self.cluster_of(task_run_id)
            running = self._clusters.wait_running(cluster_id, self._timeout)
            self._clusters.attach(cluster_id, task_run_id)
        except (BrickyardError, ClusterStartError) as error:
            return {"ok": False, "error": str(error)}
        return {
            "ok": True,
            "remote": running.connect_url,
            "cluster_id": cluster_id,
            "spark_context_id": running.spark_context_id,
        }

    def cluster_of(self, task_run_id: int) -> str:
        """The id of task run ``task_run_id``'s cluster, started (or being started)."""
        with self._db.read() as conn:
            task_run = storage.read_task_run(conn, task_run_id)
            run = storage.read_run(conn, task_run.job_run_id)
        settings = parse_stored_settings(run.settings, source=f"run {run.run_id}")
        task = next((t for t in settings.tasks or () if t.task_key == task_run.task_key), None)
        if task is None:
            raise BrickyardError(f"run {run.run_id} has no task {task_run.task_key!r}")
        if task.existing_cluster_id:
            self._clusters.ensure_running(task.existing_cluster_id)
            return task.existing_cluster_id
        key, spec = _job_cluster_of(task, settings.job_clusters or ())
        cluster_id = self._clusters.ensure_job_cluster(run.run_id, run.job_id, key, spec)
        # A repair runs tasks again on the run's cluster, which ended with the first attempt.
        self._clusters.ensure_running(cluster_id)
        return cluster_id


def _job_cluster_of(task: Task, job_clusters: Any) -> tuple[str, ClusterSpec]:
    if task.new_cluster is not None:
        return task.task_key, task.new_cluster
    for cluster in job_clusters:
        if cluster.job_cluster_key == task.job_cluster_key and cluster.new_cluster is not None:
            return cluster.job_cluster_key, cluster.new_cluster
    raise BrickyardError(
        f"task {task.task_key!r} has no cluster (job_cluster_key, new_cluster or "
        "existing_cluster_id), so it runs Spark in its own process"
    )
