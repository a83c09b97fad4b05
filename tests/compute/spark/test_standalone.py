"""The same cluster spec on a real Spark standalone cluster: a master and two workers on
loopback, started from pyspark's Spark; the cluster's Connect server runs its work on the
workers' executors and writes lakehouse tables there."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.compute.spark.connect_server import RunningServer, start_server, stop_server
from brickyard.compute.spark.sizing import plan_cluster
from brickyard.spec import ClusterSpec
from support.spark import lakehouse_conf, spark_or_skip
from support.spark_standalone import StandaloneCluster, standalone_cluster

WORKERS = 2


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("standalone-home")


@pytest.fixture(scope="module")
def cluster(home: Path) -> Iterator[StandaloneCluster]:
    installation = spark_or_skip()
    # Workers advertise a Standard_DS3_v2's 4 cores each, so the job's spec fits unchanged.
    with standalone_cluster(
        installation, home / "standalone", workers=WORKERS, cores=4, memory="2g"
    ) as running:
        yield running


@pytest.fixture(scope="module")
def server(cluster: StandaloneCluster, home: Path) -> Iterator[RunningServer]:
    installation = spark_or_skip()
    spec = ClusterSpec(
        spark_version="15.4.x-scala2.12",
        node_type_id="Standard_DS3_v2",
        num_workers=WORKERS,
        spark_conf={"spark.master": cluster.master_url, "spark.executor.memory": "1g"},
    )
    plan = plan_cluster(spec, cluster_id="0101-000000-standal1", cluster_name="shared")
    assert plan.master == cluster.master_url
    running = start_server(
        installation, plan, home / "clusters" / plan.cluster_id,
        extra_conf=lakehouse_conf(installation, home),
    )  # fmt: skip
    yield running
    stop_server(running)


def test_the_clusters_work_runs_on_the_workers_executors(
    server: RunningServer, cluster: StandaloneCluster
) -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(server.connect_url).getOrCreate()
    try:
        spark.range(0, 1000, 1, 8).selectExpr("id", "id % 7 AS bucket").write.saveAsTable(
            "main.default.spread"
        )
        total = spark.sql("SELECT sum(id) AS s FROM main.default.spread").collect()[0]["s"]
        assert total == sum(range(1000))
        state = _wait_for_app_cores(cluster)
    finally:
        spark.stop()
    (app,) = state["activeapps"]
    assert app["name"] == "shared"
    # 2 workers x 4 cores asked by the spec (spark.cores.max), all granted by the two workers
    assert app["cores"] == WORKERS * 4
    busy = [worker for worker in state["workers"] if worker["coresused"] > 0]
    assert len(busy) == WORKERS


def test_tables_written_on_the_cluster_land_in_the_lakehouse(home: Path) -> None:
    table = home / "lakehouse" / "main" / "default" / "spread"
    assert (table / "_brickyard_table.json").is_file()
    assert list(table.glob("*.parquet"))


def _wait_for_app_cores(cluster: StandaloneCluster) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        state = cluster.state()
        apps = state.get("activeapps") or []
        if (apps and apps[0].get("cores", 0) > 0) or time.monotonic() > deadline:
            return state
        time.sleep(0.5)
