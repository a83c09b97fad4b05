"""Clusters: the all-purpose and job clusters of the Clusters API, their life cycle and their
libraries.

:class:`~brickyard.clusters.service.ClusterService` owns every state change of a cluster
(PENDING → RUNNING → TERMINATING → TERMINATED) and stores it with an event; what a running
cluster *is* comes from a :class:`~brickyard.clusters.runtime.ClusterRuntime` (Spark: one Spark
Connect server per cluster, :mod:`brickyard.clusters.spark_runtime`).
"""

from __future__ import annotations

from brickyard.clusters.runtime import (
    ClusterRuntime,
    ClusterStartError,
    ClusterStartRequest,
    LibraryInstaller,
    RunningCluster,
)
from brickyard.clusters.service import ClusterService
from brickyard.clusters.states import (
    ClusterEventType,
    ClusterSource,
    ClusterState,
    LibraryStatus,
    TerminationCode,
)

__all__ = [
    "ClusterEventType",
    "ClusterRuntime",
    "ClusterService",
    "ClusterSource",
    "ClusterStartError",
    "ClusterStartRequest",
    "ClusterState",
    "LibraryInstaller",
    "LibraryStatus",
    "RunningCluster",
    "TerminationCode",
]
