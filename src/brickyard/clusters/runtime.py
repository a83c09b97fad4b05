"""What the cluster service needs from the thing that runs a cluster (ports).

The service owns states, events and timing; a :class:`ClusterRuntime` only starts, stops and
probes one cluster's server, and a :class:`LibraryInstaller` makes one library available on a
running cluster. Both block, and the service calls them off the API's and engine's threads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from brickyard.spec import ClusterSpec


class ClusterStartError(Exception):
    """A cluster could not be started; the message says why (the driver's own error)."""


@dataclass(frozen=True)
class ClusterStartRequest:
    """One cluster to start: its id and name, and the spec it is sized from."""

    cluster_id: str
    cluster_name: str
    spec: ClusterSpec
    jars: tuple[Path, ...] = ()
    """The jars of the cluster's libraries, for the server's classpath."""


@dataclass(frozen=True)
class RunningCluster:
    """What a started cluster is: where its clients connect and where to look at it."""

    connect_url: str
    """``sc://host:port``, the Spark Connect address every task on the cluster uses."""
    spark_context_id: int
    master: str
    """The Spark master its executors run on (``local[4]``, ``spark://host:7077``)."""
    spark_ui_url: str | None
    driver_log: Path | None
    notes: tuple[str, ...] = ()
    """What the spec asked for that this machine could not give (said in task logs)."""
    jars: tuple[str, ...] = ()
    """The library jars the server was started with (others reach tasks as artifacts)."""

    def to_json(self) -> dict[str, Any]:
        """The stored form (the ``runtime`` column)."""
        return {
            "connect_url": self.connect_url,
            "spark_context_id": self.spark_context_id,
            "master": self.master,
            "spark_ui_url": self.spark_ui_url,
            "driver_log": None if self.driver_log is None else str(self.driver_log),
            "notes": list(self.notes),
            "jars": list(self.jars),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunningCluster:
        """The stored form read back."""
        log = data.get("driver_log")
        return cls(
            connect_url=str(data["connect_url"]),
            spark_context_id=int(data["spark_context_id"]),
            master=str(data.get("master") or ""),
            spark_ui_url=data.get("spark_ui_url"),
            driver_log=None if log is None else Path(log),
            notes=tuple(str(n) for n in data.get("notes") or ()),
            jars=tuple(str(j) for j in data.get("jars") or ()),
        )


class ClusterRuntime(Protocol):
    """Starts and stops clusters' servers (blocking)."""

    def validate(self, spec: ClusterSpec) -> None:
        """Raise InvalidInputError naming what in ``spec`` this runtime cannot run."""
        ...

    def start(self, cluster: ClusterStartRequest) -> RunningCluster:
        """Start the cluster and return when it answers; raises :class:`ClusterStartError`."""
        ...

    def stop(self, cluster_id: str) -> None:
        """Stop the cluster's server if it runs (idempotent)."""
        ...

    def is_alive(self, cluster_id: str) -> bool:
        """Whether the cluster's server still runs (also one an earlier process started)."""
        ...


class LibraryInstaller(Protocol):
    """Makes one library (a ``compute.Library`` as the API holds it) available on a cluster."""

    def install(self, cluster_id: str, library: Mapping[str, Any]) -> Sequence[Path]:
        """Install ``library`` and return the jars it puts on the classpath (none for a Python
        library); raises an exception whose message says why it failed. Installing again is
        cheap (a cache hit)."""
        ...
