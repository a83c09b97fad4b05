"""The cluster runtime that runs Spark: one Spark Connect server per running cluster, local
mode sized from the spec or on the standalone master the spec or the settings name."""

from __future__ import annotations

import secrets

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
            jar = catalog_jar(installation, settings.spark_root)
            folder = settings.clusters_root / cluster.cluster_id
            server = connect_server.start_server(
                installation,
                plan,
                folder,
                extra_conf=catalog_conf(settings.lakehouse_root),
                jars=[str(jar)],
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
