"""The DuckDB warehouse over a real lakehouse folder: tables by three-level names, writes in the
lakehouse layout, no half-written tables, parameters, limits, cancel."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.errors import InvalidInputError, SqlCanceledError, SqlError
from brickyard.warehouse.commit_log import read_commits
from brickyard.warehouse.duckdb_warehouse import DuckDBWarehouse
from brickyard.warehouse.lakehouse_files import TableName
from brickyard.warehouse.parameters import Parameter


@pytest.fixture
def lakehouse(tmp_path: Path) -> Path:
    return tmp_path / "lakehouse"


@pytest.fixture
def warehouse(lakehouse: Path) -> Iterator[DuckDBWarehouse]:
    engine = DuckDBWarehouse(lakehouse, threads=2)
    try:
        yield engine
    finally:
        engine.close()


def rows(warehouse: DuckDBWarehouse, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r.values()) for r in warehouse.execute(sql).rows.to_pylist()]


def commits(lakehouse: Path, name: str) -> list[str]:
    return [c.operation for c in read_commits(lakehouse, TableName(*name.split(".")))]


def test_a_table_round_trips_through_the_lakehouse_layout(
    warehouse: DuckDBWarehouse, lakehouse: Path
) -> None:
    warehouse.execute("CREATE SCHEMA main.sales")
    warehouse.execute(
        "CREATE TABLE main.sales.Orders (id BIGINT NOT NULL, region STRING, amount DECIMAL(10,2))"
    )
    inserted = warehouse.execute(
        "INSERT INTO main.sales.orders VALUES (1, 'north', 10.50), (2, 'south', 3.25)"
    )
    assert inserted.rows.to_pylist() == [{"num_affected_rows": 2, "num_inserted_rows": 2}]
    assert rows(warehouse, "SELECT id, region, amount FROM sales.orders ORDER BY id") == [
        (1, "north", pytest.approx(10.5)),
        (2, "south", pytest.approx(3.25)),
    ]
    folder = lakehouse / "main" / "sales" / "orders"
    metadata = json.loads((folder / "_brickyard_table.json").read_text())
    assert metadata["format"] == "parquet"
    assert metadata["schema"] == {
        "type": "struct",
        "fields": [
            {"name": "id", "type": "long", "nullable": True, "metadata": {}},
            {"name": "region", "type": "string", "nullable": True, "metadata": {}},
            {"name": "amount", "type": "decimal(10,2)", "nullable": True, "metadata": {}},
        ],
    }
    assert [p.name.startswith("part-") for p in folder.glob("*.parquet")] == [True]
    assert commits(lakehouse, "main.sales.orders") == ["CREATE TABLE", "INSERT INTO"]


def test_a_failed_create_table_as_select_leaves_no_table(
    warehouse: DuckDBWarehouse, lakehouse: Path
) -> None:
    with pytest.raises(SqlError, match="Could not convert string 'x'"):
        warehouse.execute(
            "CREATE TABLE main.default.broken AS SELECT id, CAST('x' AS INT) AS n FROM range(3)"
        )
    assert not (lakehouse / "main" / "default" / "broken").exists()
    assert commits(lakehouse, "main.default.broken") == []
    assert list((lakehouse / "_staging").iterdir()) == []
    with pytest.raises(SqlError, match="TABLE_OR_VIEW_NOT_FOUND"):
        warehouse.execute("SELECT * FROM broken")


def test_a_failed_overwrite_keeps_the_old_data(warehouse: DuckDBWarehouse) -> None:
    warehouse.execute("CREATE TABLE t AS SELECT id FROM range(3)")
    with pytest.raises(SqlError):
        warehouse.execute("INSERT OVERWRITE t SELECT CAST('nope' AS BIGINT)")
    with pytest.raises(SqlError):
        warehouse.execute("CREATE OR REPLACE TABLE t AS SELECT CAST('nope' AS BIGINT) AS id")
    assert rows(warehouse, "SELECT count(*) FROM t") == [(3,)]


def test_create_replace_and_if_not_exists_behave_as_on_databricks(
    warehouse: DuckDBWarehouse, lakehouse: Path
) -> None:
    warehouse.execute("CREATE TABLE t AS SELECT 1 AS a")
    with pytest.raises(SqlError, match="TABLE_OR_VIEW_ALREADY_EXISTS"):
        warehouse.execute("CREATE TABLE t AS SELECT 2 AS a")
    warehouse.execute("CREATE TABLE IF NOT EXISTS t AS SELECT 3 AS a")
    assert rows(warehouse, "SELECT a FROM t") == [(1,)]
    warehouse.execute("CREATE OR REPLACE TABLE t AS SELECT 'x' AS b, 2.5D AS c")
    result = warehouse.execute("SELECT * FROM main.default.t")
    assert [(c.name, c.type_text, c.type_name) for c in result.columns] == [
        ("b", "STRING", "STRING"),
        ("c", "DOUBLE", "DOUBLE"),
    ]
    assert commits(lakehouse, "main.default.t") == [
        "CREATE TABLE AS SELECT",
        "CREATE OR REPLACE TABLE AS SELECT",
    ]


def test_insert_with_columns_overwrite_delete_update_truncate_and_drop(
    warehouse: DuckDBWarehouse, lakehouse: Path
) -> None:
    warehouse.execute("CREATE TABLE t (id INT, name STRING, score DOUBLE)")
    warehouse.execute("INSERT INTO t (name, id) VALUES ('a', 1), ('b', 2), ('c', 3)")
    assert rows(warehouse, "SELECT id, name, score FROM t ORDER BY id") == [
        (1, "a", None),
        (2, "b", None),
        (3, "c", None),
    ]
    deleted = warehouse.execute("DELETE FROM t WHERE id = 2 OR name IS NULL")
    assert deleted.rows.to_pylist() == [{"num_affected_rows": 1}]
    updated = warehouse.execute("UPDATE t SET score = id * 10 WHERE id > 1")
    assert updated.rows.to_pylist() == [{"num_affected_rows": 1}]
    assert rows(warehouse, "SELECT id, score FROM t ORDER BY id") == [(1, None), (3, 30.0)]
    warehouse.execute("INSERT OVERWRITE TABLE t SELECT 9, 'z', 0.5")
    assert rows(warehouse, "SELECT * FROM t") == [(9, "z", 0.5)]
    warehouse.execute("TRUNCATE TABLE t")
    assert rows(warehouse, "SELECT count(*) FROM t") == [(0,)]
    with pytest.raises(SqlError, match="INSERT_COLUMN_ARITY_MISMATCH"):
        warehouse.execute("INSERT INTO t VALUES (1, 'only two')")
    warehouse.execute("DROP TABLE t")
    assert not (lakehouse / "main" / "default" / "t").exists()
    warehouse.execute("DROP TABLE IF EXISTS t")
    with pytest.raises(SqlError, match="TABLE_OR_VIEW_NOT_FOUND"):
        warehouse.execute("DROP TABLE t")
    assert commits(lakehouse, "main.default.t") == [
        "CREATE TABLE",
        "INSERT INTO",
        "DELETE",
        "UPDATE",
        "INSERT OVERWRITE",
        "TRUNCATE",
        "DROP TABLE",
    ]


def test_catalogs_schemas_use_and_show(warehouse: DuckDBWarehouse, lakehouse: Path) -> None:
    warehouse.execute("CREATE CATALOG finance")
    warehouse.execute("CREATE SCHEMA finance.ledger")
    script = warehouse.execute_script(
        "USE CATALOG finance;\n"
        "USE SCHEMA ledger;\n"
        "CREATE TABLE entries AS SELECT id AS n FROM range(2);\n"
        "SELECT count(*) AS c FROM entries"
    )
    assert script.result.rows.to_pylist() == [{"c": 2}]
    assert [(t.line, t.statement) for t in script.timings][2:] == [
        (3, "CREATE TABLE entries AS SELECT id AS n FROM range(2)"),
        (4, "SELECT count(*) AS c FROM entries"),
    ]
    assert (lakehouse / "finance" / "ledger" / "entries" / "_brickyard_table.json").is_file()
    assert rows(warehouse, "SELECT n FROM finance.ledger.entries ORDER BY n") == [(0,), (1,)]
    found = warehouse.execute(
        "SELECT count(*) AS c FROM entries", catalog="finance", schema="ledger"
    )
    assert found.rows.to_pylist() == [{"c": 2}]
    assert rows(warehouse, "SHOW CATALOGS") == [("main",), ("hive_metastore",), ("finance",)]
    assert rows(warehouse, "SHOW SCHEMAS IN finance") == [("default",), ("ledger",)]
    assert rows(warehouse, "SHOW TABLES IN finance.ledger") == [("ledger", "entries", False)]
    with pytest.raises(SqlError, match="SCHEMA_NOT_EMPTY"):
        warehouse.execute("DROP SCHEMA finance.ledger")
    warehouse.execute("DROP SCHEMA finance.ledger CASCADE")
    assert not (lakehouse / "finance" / "ledger").exists()
    with pytest.raises(SqlError, match="SCHEMA_NOT_FOUND"):
        warehouse.execute("USE SCHEMA nowhere")
    with pytest.raises(InvalidInputError, match=r"schema: `main`\.`nowhere` does not exist"):
        warehouse.execute("SELECT 1", schema="nowhere")


def test_views_live_in_the_warehouse_not_in_the_lakehouse(
    warehouse: DuckDBWarehouse, lakehouse: Path
) -> None:
    warehouse.execute("CREATE TABLE base AS SELECT id FROM range(4)")
    warehouse.execute("CREATE TEMP VIEW evens AS SELECT id FROM base WHERE id % 2 = 0")
    assert rows(warehouse, "SELECT count(*) FROM main.default.evens") == [(2,)]
    assert not (lakehouse / "main" / "default" / "evens").exists()
    with pytest.raises(SqlError, match="is a lakehouse table"):
        warehouse.execute("CREATE OR REPLACE VIEW base AS SELECT 1")
    warehouse.execute("DROP VIEW evens")
    with pytest.raises(SqlError, match="TABLE_OR_VIEW_NOT_FOUND"):
        warehouse.execute("SELECT * FROM evens")


def test_results_carry_manifest_types_limits_and_timings(warehouse: DuckDBWarehouse) -> None:
    result = warehouse.execute(
        "SELECT id, CAST(id AS INT) AS i, CAST(id AS STRING) AS s, id > 1 AS b,"
        " DATE'2024-01-01' AS d,"
        " TIMESTAMP'2024-01-01 00:00:00' AS ts, CAST(1.5 AS DECIMAL(10,2)) AS dec, 2.0D AS dbl,"
        " array(1, 2) AS arr, named_struct('x', 1) AS st FROM range(10)",
        row_limit=4,
    )
    assert [(c.name, c.type_text, c.type_name, c.position) for c in result.columns] == [
        ("id", "BIGINT", "LONG", 0),
        ("i", "INT", "INT", 1),
        ("s", "STRING", "STRING", 2),
        ("b", "BOOLEAN", "BOOLEAN", 3),
        ("d", "DATE", "DATE", 4),
        ("ts", "TIMESTAMP", "TIMESTAMP", 5),
        ("dec", "DECIMAL(10,2)", "DECIMAL", 6),
        ("dbl", "DOUBLE", "DOUBLE", 7),
        ("arr", "ARRAY<INT>", "ARRAY", 8),
        ("st", "STRUCT<x: INT>", "STRUCT", 9),
    ]
    assert result.columns[6].to_manifest()["type_precision"] == 10
    assert (result.row_count, result.truncated) == (4, True)
    assert result.rows.num_columns == 10
    assert result.duration_ms > 0
    assert result.statement.startswith("SELECT id")
    full = warehouse.execute("SELECT id FROM range(3)", row_limit=3)
    assert (full.row_count, full.truncated) == (3, False)


def test_parameters_are_bound_and_missing_ones_named(warehouse: DuckDBWarehouse) -> None:
    warehouse.execute(
        "CREATE TABLE t AS SELECT id, DATE'2024-01-01' + CAST(id AS INT) AS day FROM range(5)"
    )
    result = warehouse.execute(
        "SELECT id FROM t WHERE day >= :since AND id < :top ORDER BY id",
        parameters={
            "since": Parameter("since", "2024-01-03", "DATE"),
            "top": Parameter("top", "4", "BIGINT"),
        },
    )
    assert result.rows.column("id").to_pylist() == [2, 3]
    with pytest.raises(SqlError, match=r":top but no parameter of that name"):
        warehouse.execute("SELECT id FROM t WHERE id < :top")


def test_bad_input_is_a_clear_error(warehouse: DuckDBWarehouse) -> None:
    with pytest.raises(SqlError, match=r"line 2, column 15: syntax error"):
        warehouse.execute_script("SELECT 1;\nSELECT a FROM WHERE")
    with pytest.raises(InvalidInputError, match="holds 2 statements"):
        warehouse.execute("SELECT 1; SELECT 2")
    with pytest.raises(SqlError, match="MERGE is not supported"):
        warehouse.execute("MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN DELETE")


def test_a_running_statement_is_canceled_by_its_id(warehouse: DuckDBWarehouse) -> None:
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            warehouse.execute(
                "SELECT sum(a.id * b.id) FROM range(1000000) a CROSS JOIN range(1000000) b",
                statement_id="long-one",
            )
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 10
    while not warehouse.cancel("long-one"):
        assert time.monotonic() < deadline, "the statement never started"
        time.sleep(0.01)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], SqlCanceledError)
    assert warehouse.cancel("long-one") is False
    assert rows(warehouse, "SELECT 1") == [(1,)]


def test_concurrent_writers_to_one_table_lose_nothing(
    warehouse: DuckDBWarehouse, lakehouse: Path
) -> None:
    warehouse.execute("CREATE TABLE t (writer INT, n INT)")
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for n in range(5):
                warehouse.execute(f"INSERT INTO t VALUES ({writer}, {n})")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rows(warehouse, "SELECT count(*), count(DISTINCT writer) FROM t") == [(20, 4)]
    versions = [c.version for c in read_commits(lakehouse, TableName("main", "default", "t"))]
    assert versions == list(range(1, 22))
