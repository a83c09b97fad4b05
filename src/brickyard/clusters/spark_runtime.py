"""The cluster runtime that runs Spark: one Spark Connect server per running cluster, local
mode sized from the spec or on the standalone master the spec or the settings name."""

from __future__ import annotations

import secrets
import socket

from brickyard.clusters.runtime import ClusterStartError, ClusterStartRequest, RunningCluster
from brickyard.compute.spark import connect_server
from brickyard.compute.spark.installation import find_spark
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar
from brickyard.compute.spark.sizing import plan_cluster
from brickyard.compute.spark.spark_versions import spark_version_note
from brickyard.errors import InvalidInputError, SparkUnavailableError
from brickyard.settings import Settings
from brickyard.spec import ClusterSpec


class SparkConnectRuntime:
    """Starts and stops clusters' Spark Connect servers under ``settings.clusters_root``."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def validate(self, spec: ClusterSpec) -> None:
        """Check the spec's node types (cheap: no Spark is started)."""
        plan_cluster(spec, cluster_id="check", cluster_name="check", default_master=None)

    def start(self, cluster: ClusterStartRequest) -> RunningCluster:
        """Start the cluster's server and wait until it answers."""
        settings = self._settings
        try:
            installation = find_spark()
            plan = plan_cluster(
                cluster.spec,
                cluster_id=cluster.cluster_id,
                cluster_name=cluster.cluster_name,
                default_master=settings.spark_master,
            )
            check_master_answers(plan.master)
            jar = catalog_jar(installation, settings.spark_root)
            folder = settings.clusters_root / cluster.cluster_id
            server = connect_server.start_server(
                installation,
                plan,
                folder,
                extra_conf=catalog_conf(settings.lakehouse_root),
                jars=[str(jar), *(str(j) for j in cluster.jars)],
            )
        except (SparkUnavailableError, InvalidInputError, connect_server.ClusterStartError) as e:
            raise ClusterStartError(str(e)) from None
        return RunningCluster(
            connect_url=server.connect_url,
            spark_context_id=secrets.randbelow(2**62),
            master=server.master,
            spark_ui_url=server.spark_ui_url,
            driver_log=server.log_file,
            notes=(*plan.notes, *_version_notes(cluster.spec, installation.spark_version)),
            jars=tuple(str(j) for j in cluster.jars),
        )

    def stop(self, cluster_id: str) -> None:
        """Stop the cluster's server, if it runs."""
        server = connect_server.read_server(self._settings.clusters_root / cluster_id)
        if server is not None:
            connect_server.stop_server(server)

    def is_alive(self, cluster_id: str) -> bool:
        """Whether the cluster's server still runs (also one an earlier brickyard started)."""
        return connect_server.read_server(self._settings.clusters_root / cluster_id) is not None


def _version_notes(spec: ClusterSpec, installed_spark: str) -> tuple[str, ...]:
    note = spark_version_note(spec.spark_version, installed_spark)
    return () if note is None else (note,)


MASTER_PROBE_SECONDS = 3.0


def check_master_answers(master: str) -> None:
    """Fail fast, naming the master, when a standalone master does not accept connections
    (Spark itself would retry for a minute, then give up with a less telling message)."""
    if not master.startswith("spark://"):
        return
    errors: list[str] = []
    for address in master.removeprefix("spark://").split(","):
        host, _, port = address.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=MASTER_PROBE_SECONDS):
                return
        except (OSError, ValueError) as error:
            errors.append(f"{address}: {error}")
    raise ClusterStartError(
        f"the Spark master {master} does not answer ({'; '.join(errors)}); check spark.master "
        "in the cluster's spark_conf or BRICKYARD_SPARK_MASTER"
    )
