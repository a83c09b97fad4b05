"""The Statement Execution API driven by databricks-sdk on a real DuckDB warehouse: a query
with named parameters, a large result paged in chunks, Arrow results (inline and by link),
waiting and cancelling, SQL errors as FAILED statements, and a table the next statement
reads."""

from __future__ import annotations

import base64
import time
from datetime import timedelta

import httpx
import pyarrow as pa
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidParameterValue, NotFound
from databricks.sdk.service import sql

from support.api_server import RunningServer

TIMEOUT = timedelta(seconds=30)


@pytest.fixture
def w(server: RunningServer) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=server.token)


@pytest.fixture
def warehouse_id(w: WorkspaceClient) -> str:
    created = w.warehouses.create(name="statements").result(timeout=TIMEOUT)
    assert created.id
    return created.id


def test_a_query_with_named_parameters(w: WorkspaceClient, warehouse_id: str) -> None:
    response = w.statement_execution.execute_statement(
        statement="SELECT :who AS who, :n + 1 AS next, DATE'2026-12-04' AS day",
        warehouse_id=warehouse_id,
        parameters=[
            sql.StatementParameterListItem(name="who", value="ada"),
            sql.StatementParameterListItem(name="n", value="41", type="INT"),
        ],
        wait_timeout="30s",
    )
    assert response.status and response.status.state == sql.StatementState.SUCCEEDED
    assert response.manifest and response.manifest.schema
    columns = response.manifest.schema.columns or []
    assert [(c.name, c.type_name) for c in columns] == [
        ("who", sql.ColumnInfoTypeName.STRING),
        ("next", sql.ColumnInfoTypeName.INT),
        ("day", sql.ColumnInfoTypeName.DATE),
    ]
    assert response.result and response.result.data_array == [["ada", "42", "2026-12-04"]]


def test_a_large_result_pages_in_chunks(w: WorkspaceClient, warehouse_id: str) -> None:
    response = w.statement_execution.execute_statement(
        statement="SELECT id, id * 2 AS twice, 'row ' || id AS label FROM range(1000000)",
        warehouse_id=warehouse_id,
        wait_timeout="50s",
    )
    assert response.status and response.status.state == sql.StatementState.SUCCEEDED
    manifest = response.manifest
    assert manifest and manifest.total_row_count == 1_000_000
    assert manifest.total_chunk_count and manifest.total_chunk_count > 1
    rows = 0
    chunk = response.result
    last_id = -1
    while chunk is not None:
        data = chunk.data_array or []
        assert int(data[0][0]) == last_id + 1
        last_id = int(data[-1][0])
        rows += len(data)
        if chunk.next_chunk_index is None:
            break
        assert response.statement_id
        chunk = w.statement_execution.get_statement_result_chunk_n(
            response.statement_id, chunk.next_chunk_index
        )
    assert rows == 1_000_000 and last_id == 999_999


def test_tables_written_by_one_statement_are_read_by_the_next(
    w: WorkspaceClient, warehouse_id: str
) -> None:
    run = w.statement_execution.execute_statement
    created = run(
        statement="CREATE SCHEMA IF NOT EXISTS main.api; "
        "CREATE OR REPLACE TABLE main.api.t AS SELECT id FROM range(5)",
        warehouse_id=warehouse_id,
        wait_timeout="30s",
    )
    assert created.status and created.status.state == sql.StatementState.SUCCEEDED
    counted = run(
        statement="SELECT count(*) AS n FROM t",
        warehouse_id=warehouse_id,
        catalog="main",
        schema="api",
        wait_timeout="30s",
    )
    assert counted.result and counted.result.data_array == [["5"]]


def test_sql_errors_are_failed_statements_with_the_reason(
    w: WorkspaceClient, warehouse_id: str
) -> None:
    response = w.statement_execution.execute_statement(
        statement="SELEC 1", warehouse_id=warehouse_id, wait_timeout="30s"
    )
    assert response.status and response.status.state == sql.StatementState.FAILED
    assert response.status.error and response.status.error.message
    assert "line 1" in response.status.error.message
    missing = w.statement_execution.execute_statement(
        statement="SELECT :nope", warehouse_id=warehouse_id, wait_timeout="30s"
    )
    assert missing.status and missing.status.error and missing.status.error.message
    assert "nope" in missing.status.error.message


def test_wait_timeout_zero_returns_at_once_and_get_follows(
    w: WorkspaceClient, warehouse_id: str
) -> None:
    response = w.statement_execution.execute_statement(
        statement="SELECT sum(id) AS s FROM range(100000)",
        warehouse_id=warehouse_id,
        wait_timeout="0s",
    )
    assert response.status and response.status.state in (
        sql.StatementState.PENDING,
        sql.StatementState.RUNNING,
        sql.StatementState.SUCCEEDED,
    )
    assert response.statement_id
    for _ in range(200):
        got = w.statement_execution.get_statement(response.statement_id)
        if got.status and got.status.state == sql.StatementState.SUCCEEDED:
            break
        time.sleep(0.05)
    assert got.result and got.result.data_array == [["4999950000"]]


def test_a_long_statement_is_cancelled(w: WorkspaceClient, warehouse_id: str) -> None:
    response = w.statement_execution.execute_statement(
        statement="SELECT count(*) FROM range(100000000000) a",
        warehouse_id=warehouse_id,
        wait_timeout="5s",
        on_wait_timeout=sql.ExecuteStatementRequestOnWaitTimeout.CANCEL,
    )
    assert response.status and response.status.state == sql.StatementState.CANCELED


def test_arrow_results_inline_and_by_link(server: RunningServer, warehouse_id: str) -> None:
    with server.client() as client:
        inline = client.post(
            "/api/2.0/sql/statements",
            json={
                "statement": "SELECT id FROM range(3)",
                "warehouse_id": warehouse_id,
                "format": "ARROW_STREAM",
                "wait_timeout": "30s",
            },
        ).json()
        table = pa.ipc.open_stream(base64.b64decode(inline["result"]["attachment"])).read_all()
        assert table.column(0).to_pylist() == [0, 1, 2]
        linked = client.post(
            "/api/2.0/sql/statements",
            json={
                "statement": "SELECT id FROM range(4)",
                "warehouse_id": warehouse_id,
                "format": "ARROW_STREAM",
                "disposition": "EXTERNAL_LINKS",
                "wait_timeout": "30s",
            },
        ).json()
    link = linked["result"]["external_links"][0]["external_link"]
    downloaded = httpx.get(link)  # no token: the link is enough
    assert downloaded.status_code == 200
    assert pa.ipc.open_stream(downloaded.content).read_all().num_rows == 4
    assert httpx.get(link.replace("secret=", "secret=x")).status_code == 404


def test_bad_requests_name_the_field(w: WorkspaceClient, warehouse_id: str) -> None:
    with pytest.raises(InvalidParameterValue, match="wait_timeout"):
        w.statement_execution.execute_statement(
            statement="SELECT 1", warehouse_id=warehouse_id, wait_timeout="3s"
        )
    with pytest.raises(NotFound, match="does not exist"):
        w.statement_execution.execute_statement(statement="SELECT 1", warehouse_id="nope")
    with pytest.raises(NotFound):
        w.statement_execution.get_statement("no-such-statement")
