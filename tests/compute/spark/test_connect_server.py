"""A real Spark Connect server: it starts, serves the lakehouse's three-level tables, is found
again from its folder, and stops; a driver that cannot start says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.compute.spark.connect_server import (
    ClusterStartError,
    RunningServer,
    read_server,
    start_server,
    stop_server,
)
from brickyard.compute.spark.sizing import plan_cluster
from brickyard.spec import ClusterSpec
from support.spark import lakehouse_conf, spark_or_skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("spark-home")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[RunningServer]:
    installation = spark_or_skip()
    plan = plan_cluster(
        ClusterSpec(node_type_id="m5.large", num_workers=0), cluster_id="c-1", cluster_name="t"
    )
    running = start_server(
        installation,
        plan,
        home / "clusters" / "c-1",
        extra_conf=lakehouse_conf(installation, home),
    )
    yield running
    stop_server(running)


def test_tables_written_through_the_server_have_three_level_names(
    server: RunningServer, home: Path
) -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(server.connect_url).getOrCreate()
    try:
        spark.sql("CREATE SCHEMA IF NOT EXISTS main.sales")
        spark.range(7).toDF("n").write.mode("overwrite").saveAsTable("main.sales.orders")
        spark.range(3).toDF("n").write.mode("append").saveAsTable("main.sales.orders")
        assert spark.table("main.sales.orders").count() == 10
        # two-level names resolve in main, the default catalog
        assert spark.sql("SELECT count(*) AS c FROM sales.orders").first()["c"] == 10  # type: ignore[index]
        spark.range(2).toDF("n").write.mode("overwrite").saveAsTable("main.sales.orders")
        assert spark.table("main.sales.orders").count() == 2
    finally:
        spark.stop()
    table = home / "lakehouse" / "main" / "sales" / "orders"
    assert (table / "_brickyard_table.json").is_file()
    assert list(table.glob("*.parquet"))


def test_a_running_server_is_found_again_from_its_folder(server: RunningServer, home: Path) -> None:
    found = read_server(home / "clusters" / "c-1")
    assert found is not None
    assert (found.pid, found.port) == (server.pid, server.port)


def test_a_driver_that_cannot_start_fails_with_its_reason(tmp_path: Path) -> None:
    installation = spark_or_skip()
    plan = plan_cluster(
        ClusterSpec(spark_conf={"spark.driver.memory": "lots"}), cluster_id="c-2", cluster_name="t"
    )
    with pytest.raises(ClusterStartError, match="exited with status"):
        start_server(installation, plan, tmp_path / "c-2", timeout=120)
    assert read_server(tmp_path / "c-2") is None
