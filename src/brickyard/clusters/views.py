"""Clusters as the Clusters API shows them (``compute.ClusterDetails``, ``ClusterEvent``)."""

from __future__ import annotations

from typing import Any, Final

from brickyard import storage
from brickyard.clusters.runtime import RunningCluster
from brickyard.compute.spark.sizing import node_type_of, worker_count
from brickyard.errors import InvalidInputError
from brickyard.spec import ClusterSpec

_SPEC_FIELDS: Final = tuple(ClusterSpec.model_fields)


def cluster_details(record: storage.ClusterRecord) -> dict[str, Any]:
    """The ``ClusterDetails`` of a stored cluster: its spec's fields, state and sizes."""
    spec = record.spec
    details: dict[str, Any] = {k: v for k, v in spec.items() if v is not None}
    details.update(
        cluster_id=record.cluster_id,
        cluster_name=record.cluster_name,
        state=record.state,
        state_message=record.state_message,
        cluster_source=record.cluster_source,
        start_time=record.start_time,
        last_activity_time=record.last_activity_time,
        pinned_by_user_name=None,
        spec={k: v for k, v in spec.items() if v is not None},
        default_tags=_default_tags(record),
    )
    details.setdefault("autotermination_minutes", 0)
    details.setdefault("spark_conf", {})
    if record.creator_user_name:
        details["creator_user_name"] = record.creator_user_name
    if record.spark_context_id is not None:
        details["spark_context_id"] = record.spark_context_id
    if record.terminated_time is not None:
        details["terminated_time"] = record.terminated_time
    if record.last_restarted_time is not None:
        details["last_restarted_time"] = record.last_restarted_time
    if record.termination_reason:
        details["termination_reason"] = record.termination_reason
    details.update(_sizes(spec))
    if record.runtime is not None:
        running = RunningCluster.from_json(record.runtime)
        details["driver"] = {"host_private_ip": "127.0.0.1", "node_id": "driver"}
        # brickyard's own fields: where to look at the cluster (the SDK ignores them)
        details["spark_master"] = running.master
        details["spark_connect_url"] = running.connect_url
        if running.spark_ui_url:
            details["spark_ui_url"] = running.spark_ui_url
        if running.notes:
            details["notes"] = list(running.notes)
    if record.job_run_id is not None:
        details["job_run_id"] = record.job_run_id
    return {k: v for k, v in details.items() if v is not None}


def cluster_event(record: storage.ClusterEventRecord) -> dict[str, Any]:
    """One ``ClusterEvent``."""
    return {
        "cluster_id": record.cluster_id,
        "timestamp": record.timestamp,
        "type": record.type,
        "details": record.details,
    }


def _default_tags(record: storage.ClusterRecord) -> dict[str, str]:
    tags = {
        "Vendor": "Databricks",
        "ClusterName": record.cluster_name,
        "ClusterId": record.cluster_id,
    }
    if record.creator_user_name:
        tags["Creator"] = record.creator_user_name
    if record.job_id is not None:
        tags["JobId"] = str(record.job_id)
    if record.job_run_id is not None:
        tags["RunName"] = record.cluster_name
    return tags


def _sizes(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        parsed = ClusterSpec.model_validate(spec)
        worker = node_type_of(parsed.node_type_id)
        driver = node_type_of(parsed.driver_node_type_id or parsed.node_type_id)
    except (InvalidInputError, ValueError):
        return {}
    workers = worker_count(parsed)
    sizes: dict[str, Any] = {
        "cluster_cores": float(driver.num_cores + worker.num_cores * workers),
        "cluster_memory_mb": driver.memory_mb + worker.memory_mb * workers,
    }
    if parsed.node_type_id is None:
        sizes["node_type_id"] = worker.node_type_id
    if parsed.driver_node_type_id is None:
        sizes["driver_node_type_id"] = driver.node_type_id
    return sizes
