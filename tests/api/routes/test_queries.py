"""Saved queries through databricks-sdk: the Queries API (create, get, update with a mask,
list with pages, trash) and the legacy API and data sources (create with a data source id,
read through either API, restore from the trash)."""

from __future__ import annotations

from datetime import timedelta

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
    created = w.warehouses.create(name="queries").result(timeout=TIMEOUT)
    assert created.id
    return created.id


def test_create_get_update_and_trash(w: WorkspaceClient, warehouse_id: str) -> None:
    created = w.queries.create(
        query=sql.CreateQueryRequestQuery(
            display_name="daily totals",
            query_text="SELECT :day AS day",
            warehouse_id=warehouse_id,
            catalog="main",
            schema="analytics",
            parameters=[
                sql.QueryParameter(name="day", text_value=sql.TextValue(value="2026-12-04"))
            ],
            tags=["etl"],
        )
    )
    assert created.id and created.lifecycle_state == sql.LifecycleState.ACTIVE
    got = w.queries.get(created.id)
    assert (got.display_name, got.warehouse_id, got.schema) == (
        "daily totals",
        warehouse_id,
        "analytics",
    )
    assert got.parameters and got.parameters[0].text_value == sql.TextValue(value="2026-12-04")
    assert got.owner_user_name == "admin"
    updated = w.queries.update(
        created.id,
        update_mask="query_text,description",
        query=sql.UpdateQueryRequestQuery(query_text="SELECT 2", description="two"),
    )
    assert (updated.query_text, updated.description, updated.display_name) == (
        "SELECT 2",
        "two",
        "daily totals",
    )
    w.queries.delete(created.id)
    assert w.queries.get(created.id).lifecycle_state == sql.LifecycleState.TRASHED
    assert list(w.queries.list()) == []


def test_list_pages_through_every_active_query(w: WorkspaceClient) -> None:
    for n in range(5):
        w.queries.create(
            query=sql.CreateQueryRequestQuery(display_name=f"q{n}", query_text="SELECT 1")
        )
    names = [q.display_name for q in w.queries.list(page_size=2)]
    assert sorted(names) == ["q0", "q1", "q2", "q3", "q4"]


def test_the_legacy_api_sees_the_same_queries(w: WorkspaceClient, warehouse_id: str) -> None:
    (source,) = w.data_sources.list()
    assert source.id == warehouse_id and source.warehouse_id == warehouse_id
    legacy = w.queries_legacy.create(
        name="legacy",
        data_source_id=source.id,
        query="SELECT {{ n }}",
        options={"parameters": [{"name": "n", "title": "N", "type": "number", "value": 3}]},
    )
    assert legacy.id and legacy.data_source_id == warehouse_id
    current = w.queries.get(legacy.id)
    assert current.query_text == "SELECT {{ n }}"
    assert current.parameters and current.parameters[0].numeric_value == sql.NumericValue(value=3)
    w.queries_legacy.delete(legacy.id)
    assert w.queries_legacy.get(legacy.id).is_archived is True
    w.queries_legacy.restore(legacy.id)
    restored = w.queries_legacy.get(legacy.id)
    assert restored.is_archived is False
    assert [q.name for q in w.queries_legacy.list()] == ["legacy"]


def test_errors_name_the_field_or_the_id(w: WorkspaceClient) -> None:
    with pytest.raises(InvalidParameterValue, match=r"query\.query_text is required"):
        w.queries.create(query=sql.CreateQueryRequestQuery(display_name="empty"))
    with pytest.raises(NotFound, match="does not exist"):
        w.queries.create(
            query=sql.CreateQueryRequestQuery(query_text="SELECT 1", warehouse_id="nope")
        )
    with pytest.raises(NotFound, match="Query nope does not exist"):
        w.queries.get("nope")
    created = w.queries.create(query=sql.CreateQueryRequestQuery(query_text="SELECT 1"))
    assert created.id
    with pytest.raises(InvalidParameterValue, match="not a field"):
        w.queries.update(created.id, update_mask="colour", query=sql.UpdateQueryRequestQuery())
