"""A warehouse that is a PostgreSQL database: Databricks SQL transpiled to its dialect, the
catalog dropped from three-level names (needs BRICKYARD_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy

from brickyard.errors import SqlCanceledError, SqlError
from brickyard.warehouse.parameters import Parameter
from brickyard.warehouse.sqlalchemy_warehouse import SqlAlchemyWarehouse

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def url() -> str:
    found = os.environ.get("BRICKYARD_TEST_POSTGRES_URL")
    if not found:
        pytest.skip("BRICKYARD_TEST_POSTGRES_URL is not set")
    return found


@pytest.fixture
def schema(url: str) -> Iterator[str]:
    """A schema of the test's own, dropped after it."""
    name = f"wh_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        yield name
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        engine.dispose()


@pytest.fixture
def warehouse(url: str) -> Iterator[SqlAlchemyWarehouse]:
    engine = SqlAlchemyWarehouse(url)
    try:
        yield engine
    finally:
        engine.close()


def test_databricks_sql_runs_on_postgres_with_three_level_names(
    warehouse: SqlAlchemyWarehouse, schema: str
) -> None:
    script = warehouse.execute_script(
        f"CREATE TABLE main.{schema}.orders (id BIGINT, region STRING, amount DECIMAL(10,2));\n"
        f"INSERT INTO main.{schema}.orders VALUES (1, 'north', 10.5), (2, 'south', 3.25);\n"
        f"USE {schema};\n"
        "SELECT region, amount, concat('r-', region) AS tag FROM orders WHERE id = :id"
        " ORDER BY region",
        parameters={"id": Parameter("id", "2", "BIGINT")},
    )
    result = script.result
    assert result.rows.to_pylist() == [
        {"region": "south", "amount": pytest.approx(3.25), "tag": "r-south"}
    ]
    assert [(c.name, c.type_name) for c in result.columns] == [
        ("region", "STRING"),
        ("amount", "DECIMAL"),
        ("tag", "STRING"),
    ]
    assert [t.line for t in script.timings] == [1, 2, 3, 4]


def test_range_limits_and_schema_argument(warehouse: SqlAlchemyWarehouse, schema: str) -> None:
    warehouse.execute(f"CREATE TABLE {schema}.numbers AS SELECT id FROM range(10)")
    result = warehouse.execute("SELECT id FROM numbers ORDER BY id", schema=schema, row_limit=3)
    assert result.rows.column("id").to_pylist() == [0, 1, 2]
    assert result.truncated is True
    assert [(c.type_text, c.type_name) for c in result.columns] == [("BIGINT", "LONG")]
    percent = warehouse.execute("SELECT '100%' AS p, 'a:b' AS c")
    assert percent.rows.to_pylist() == [{"p": "100%", "c": "a:b"}]


def test_errors_name_the_statement(warehouse: SqlAlchemyWarehouse, schema: str) -> None:
    with pytest.raises(SqlError, match=r"does not exist"):
        warehouse.execute(f"SELECT * FROM {schema}.missing")
    with pytest.raises(SqlError, match=r":x but no parameter"):
        warehouse.execute("SELECT :x")


def test_a_running_statement_is_canceled(warehouse: SqlAlchemyWarehouse) -> None:
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            warehouse.execute("SELECT pg_sleep(30)", statement_id="sleepy")
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 10
    while not warehouse.cancel("sleepy"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], SqlCanceledError)
