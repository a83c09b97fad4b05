"""A cluster spec, sized for where it runs: Spark on this machine, or a standalone master.

Local mode runs the whole cluster in one JVM: its cores are the spec's worker cores (the
driver's for a single-node cluster), its memory the driver heap. Both are capped by this
machine, and the cap is said once in the task's log (``notes``) rather than silently applied.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from brickyard.compute.spark.node_types import (
    DEFAULT_NODE_TYPE,
    NodeType,
    find_node_type,
    unknown_node_type_message,
)
from brickyard.errors import InvalidInputError
from brickyard.spec import ClusterSpec

LOCAL_MEMORY_SHARE = 0.5
"""The largest share of this machine's memory one local cluster's driver heap may take."""
MIN_DRIVER_MEMORY_MB = 1024
STANDALONE_PREFIX = "spark://"


@dataclass(frozen=True)
class MachineResources:
    """What this machine can give a local cluster."""

    cores: int
    memory_mb: int

    @classmethod
    def of_this_machine(cls) -> MachineResources:
        """The cores this process may use and the machine's physical memory."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        pages = os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
        memory_mb = pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024) if pages else 4096
        return cls(cores=max(1, cores), memory_mb=int(memory_mb))


@dataclass(frozen=True)
class SparkClusterPlan:
    """How one cluster runs: its master, Spark conf and driver environment variables."""

    cluster_id: str
    master: str
    conf: Mapping[str, str]
    env: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """What the task's log says once about the sizing (caps, ignored settings)."""

    @property
    def is_local(self) -> bool:
        """Whether the cluster runs in one JVM on this machine."""
        return self.master.startswith("local")


def node_type_of(node_type_id: str | None) -> NodeType:
    """The node type a spec names (the default when it names none).

    Raises :class:`InvalidInputError` naming the unknown id.
    """
    if node_type_id is None:
        return DEFAULT_NODE_TYPE
    node = find_node_type(node_type_id)
    if node is None:
        raise InvalidInputError(unknown_node_type_message(node_type_id))
    return node


def worker_count(spec: ClusterSpec) -> int:
    """Workers the spec asks for: ``num_workers``, or ``autoscale.max_workers`` (a local
    cluster has no cost to scaling up, so it is sized at the top of the range)."""
    if spec.autoscale is not None:
        return spec.autoscale.max_workers or spec.autoscale.min_workers or 0
    return spec.num_workers or 0


def plan_cluster(
    spec: ClusterSpec | None,
    *,
    cluster_id: str,
    cluster_name: str,
    default_master: str | None = None,
    machine: MachineResources | None = None,
) -> SparkClusterPlan:
    """The plan of ``spec`` (None: a task without compute, one local node).

    ``default_master`` is the installation's Spark master setting; the spec's own
    ``spark.master`` wins over it. Raises :class:`InvalidInputError` for an unknown node type.
    """
    spec = spec or ClusterSpec()
    user_conf = {str(key): str(value) for key, value in (spec.spark_conf or {}).items()}
    master = user_conf.pop("spark.master", None) or default_master
    worker = node_type_of(spec.node_type_id)
    driver = node_type_of(spec.driver_node_type_id or spec.node_type_id)
    workers = worker_count(spec)
    conf: dict[str, str] = {
        "spark.app.name": cluster_name,
        "spark.databricks.clusterUsageTags.clusterId": cluster_id,
        "spark.databricks.clusterUsageTags.clusterName": cluster_name,
        "spark.databricks.clusterUsageTags.clusterAllTags": json.dumps(
            [{"key": str(k), "value": str(v)} for k, v in (spec.custom_tags or {}).items()]
        ),
        "spark.databricks.clusterUsageTags.clusterWorkers": str(workers),
        "spark.ui.showConsoleProgress": "false",
    }
    if spec.spark_version:
        conf["spark.databricks.clusterUsageTags.sparkVersion"] = spec.spark_version
    notes: list[str] = []
    if master is not None and master.startswith(STANDALONE_PREFIX):
        # A real cluster: its workers decide memory; the spec bounds the cores taken.
        conf.setdefault("spark.executor.cores", str(worker.num_cores))
        conf.setdefault("spark.cores.max", str(max(1, workers) * worker.num_cores))
    elif master is None or master.startswith("local"):
        resources = machine or MachineResources.of_this_machine()
        asked_cores = worker.num_cores * workers if workers else driver.num_cores
        cores = min(asked_cores, resources.cores)
        memory_cap = max(MIN_DRIVER_MEMORY_MB, int(resources.memory_mb * LOCAL_MEMORY_SHARE))
        asked_memory = driver.memory_mb + worker.memory_mb * workers
        memory = min(asked_memory, memory_cap)
        if master is None:
            master = f"local[{cores}]"
        conf.setdefault("spark.driver.memory", f"{memory}m")
        if cores < asked_cores or memory < asked_memory:
            shape = (
                f"{workers} x {worker.node_type_id}" if workers else f"1 x {driver.node_type_id}"
            )
            notes.append(
                f"cluster {cluster_name}: {shape} asks for {asked_cores} cores and "
                f"{asked_memory // 1024} GB; this machine runs it as {master} with "
                f"{memory // 1024} GB of driver memory"
            )
    conf.update(user_conf)
    env = {str(key): str(value) for key, value in (spec.spark_env_vars or {}).items()}
    return SparkClusterPlan(
        cluster_id=cluster_id, master=master, conf=conf, env=env, notes=tuple(notes)
    )
