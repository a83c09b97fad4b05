"""``cluster_instance`` of task runs: the cluster a task ran on and its Spark context.

A task's cluster is known once it used Spark: its job cluster (by ``job_cluster_key``, or its
own ``new_cluster`` by task key) is the one the run created, an ``existing_cluster_id`` is that
cluster. A task whose code never touched ``spark`` started no cluster and shows none.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from brickyard import storage
from brickyard.errors import NotFoundError


def clusters_used(
    conn: Any, run_id: int, tasks: Sequence[Mapping[str, Any]]
) -> dict[str, storage.ClusterRecord]:
    """The clusters the run's tasks name, by job cluster key and by cluster id."""
    found: dict[str, storage.ClusterRecord] = {}
    for record in storage.list_clusters(conn, job_run_id=run_id):
        if record.job_cluster_key is not None:
            found[f"key:{record.job_cluster_key}"] = record
    for task in tasks:
        cluster_id = task.get("existing_cluster_id")
        if isinstance(cluster_id, str) and f"id:{cluster_id}" not in found:
            try:
                found[f"id:{cluster_id}"] = storage.read_cluster(conn, cluster_id)
            except NotFoundError:
                continue
    return found


def add_cluster_instance(
    task: MutableMapping[str, Any], clusters: Mapping[str, storage.ClusterRecord]
) -> None:
    """Set ``task["cluster_instance"]`` when the task's cluster exists."""
    cluster_id = task.get("existing_cluster_id")
    if isinstance(cluster_id, str):
        record = clusters.get(f"id:{cluster_id}")
    else:
        key = task.get("job_cluster_key") or (
            task.get("task_key") if task.get("new_cluster") else None
        )
        record = clusters.get(f"key:{key}") if key else None
    if record is None:
        return
    instance: dict[str, Any] = {"cluster_id": record.cluster_id}
    if record.spark_context_id is not None:
        instance["spark_context_id"] = str(record.spark_context_id)
    task["cluster_instance"] = instance


def add_cluster_instances(conn: Any, run_id: int, body: MutableMapping[str, Any]) -> None:
    """Set ``cluster_instance`` on every task of a rendered run that ran on a cluster."""
    tasks = body.get("tasks") or []
    clusters = clusters_used(conn, run_id, tasks)
    for task in tasks:
        add_cluster_instance(task, clusters)
