"""The warehouse and Spark share the lakehouse: each reads what the other wrote, types and
values intact (a real local Spark session over the real catalog jar)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from brickyard.warehouse.commit_log import read_commits
from brickyard.warehouse.duckdb_warehouse import DuckDBWarehouse
from brickyard.warehouse.lakehouse_files import TableName
from support.spark import lakehouse_conf, spark_or_skip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("interop")


@pytest.fixture(scope="module")
def spark(home: Path) -> Iterator[Any]:
    installation = spark_or_skip()
    conf = lakehouse_conf(installation, home)
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        for key, value in installation.environment().items():
            patch.setenv(key, value)
        patch.setenv("TZ", "UTC")
        builder = (
            SparkSession.builder.master("local[1]")
            .appName("warehouse-interop")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        )
        for key, value in conf.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        try:
            yield session
        finally:
            session.stop()


@pytest.fixture(scope="module")
def warehouse(home: Path, spark: Any) -> Iterator[DuckDBWarehouse]:
    engine = DuckDBWarehouse(home / "lakehouse", threads=1)
    try:
        yield engine
    finally:
        engine.close()


def test_spark_reads_a_table_the_warehouse_created(spark: Any, warehouse: DuckDBWarehouse) -> None:
    warehouse.execute("CREATE SCHEMA main.sales")
    warehouse.execute(
        "CREATE TABLE main.sales.orders AS SELECT id, CAST(id AS INT) AS small,"
        " CAST(id AS DOUBLE) / 4 AS ratio, concat('order-', id) AS label, id % 2 = 0 AS even,"
        " DATE'2024-03-01' + CAST(id AS INT) AS day,"
        " TIMESTAMP'2024-03-01 12:30:00' AS at, CAST(id AS DECIMAL(10,2)) AS amount,"
        " array(id, id + 1) AS pair, named_struct('k', id, 'v', 'x') AS kv FROM range(3)"
    )
    frame = spark.table("main.sales.orders").orderBy("id")
    fields = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
    assert fields == {
        "id": "bigint",
        "small": "int",
        "ratio": "double",
        "label": "string",
        "even": "boolean",
        "day": "date",
        "at": "timestamp",
        "amount": "decimal(10,2)",
        "pair": "array<bigint>",
        "kv": "struct<k:bigint,v:string>",
    }
    rows = [row.asDict(recursive=True) for row in frame.collect()]
    assert [r["label"] for r in rows] == ["order-0", "order-1", "order-2"]
    assert rows[2]["day"] == dt.date(2024, 3, 3)
    assert rows[1]["at"] == dt.datetime(2024, 3, 1, 12, 30)
    assert rows[2]["amount"] == Decimal("2.00")
    assert rows[1]["pair"] == [1, 2]
    assert rows[2]["kv"] == {"k": 2, "v": "x"}
    assert [r["even"] for r in rows] == [True, False, True]


def test_the_warehouse_reads_a_table_spark_wrote(spark: Any, warehouse: DuckDBWarehouse) -> None:
    spark.sql(
        "CREATE TABLE main.default.events AS SELECT id, CAST(id AS STRING) AS name,"
        " TIMESTAMP'2024-05-01 08:00:00' AS at, CAST(id * 10 AS DECIMAL(12,3)) AS amount,"
        " DATE'2024-05-01' AS day FROM range(4)"
    )
    result = warehouse.execute("SELECT * FROM main.default.events ORDER BY id")
    assert [(c.name, c.type_text) for c in result.columns] == [
        ("id", "BIGINT"),
        ("name", "STRING"),
        ("at", "TIMESTAMP"),
        ("amount", "DECIMAL(12,3)"),
        ("day", "DATE"),
    ]
    rows = result.rows.to_pylist()
    assert [r["name"] for r in rows] == ["0", "1", "2", "3"]
    assert rows[3]["amount"] == Decimal("30.000")
    assert rows[0]["at"] == dt.datetime(2024, 5, 1, 8, 0)
    assert rows[0]["day"] == dt.date(2024, 5, 1)


def test_appends_and_overwrites_from_both_sides_meet_in_one_table(
    spark: Any, warehouse: DuckDBWarehouse, home: Path
) -> None:
    spark.sql("CREATE TABLE main.default.mixed (id BIGINT, who STRING)")
    warehouse.execute("INSERT INTO main.default.mixed VALUES (1, 'warehouse')")
    spark.sql("INSERT INTO main.default.mixed VALUES (2, 'spark')")
    assert warehouse.execute("SELECT who FROM mixed ORDER BY id").rows.column(
        "who"
    ).to_pylist() == [
        "warehouse",
        "spark",
    ]
    warehouse.execute("INSERT OVERWRITE main.default.mixed SELECT 3, 'overwritten'")
    spark.catalog.refreshTable("main.default.mixed")
    assert [tuple(r) for r in spark.table("main.default.mixed").collect()] == [(3, "overwritten")]
    spark.sql("INSERT OVERWRITE main.default.mixed VALUES (4, 'by spark')")
    assert warehouse.execute("SELECT id, who FROM mixed").rows.to_pylist() == [
        {"id": 4, "who": "by spark"}
    ]
    versions = read_commits(home / "lakehouse", TableName("main", "default", "mixed"))
    assert [c.operation for c in versions] == ["INSERT INTO", "INSERT OVERWRITE"]
    assert list((home / "lakehouse" / "_staging").iterdir()) == []


def test_tables_without_rows_keep_their_columns_both_ways(
    spark: Any, warehouse: DuckDBWarehouse
) -> None:
    spark.sql("CREATE TABLE main.default.spark_empty (id BIGINT, at TIMESTAMP, tags ARRAY<STRING>)")
    result = warehouse.execute("SELECT * FROM spark_empty")
    assert [(c.name, c.type_text) for c in result.columns] == [
        ("id", "BIGINT"),
        ("at", "TIMESTAMP"),
        ("tags", "ARRAY<STRING>"),
    ]
    assert result.row_count == 0
    warehouse.execute("CREATE TABLE main.default.warehouse_empty (n INT, day DATE)")
    frame = spark.table("main.default.warehouse_empty")
    assert [(f.name, f.dataType.simpleString()) for f in frame.schema.fields] == [
        ("n", "int"),
        ("day", "date"),
    ]
    assert frame.count() == 0
