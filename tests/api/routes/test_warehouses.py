"""The SQL Warehouses API driven by databricks-sdk: create and wait, get, list, edit (a
running warehouse restarts), stop and start, delete, and the errors clients see."""

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


def test_create_waits_until_running_with_databricks_defaults(w: WorkspaceClient) -> None:
    created = w.warehouses.create(name="analytics", cluster_size="Small").result(timeout=TIMEOUT)
    assert created.state == sql.State.RUNNING
    assert created.cluster_size == "Small"
    assert created.auto_stop_mins == 120
    assert created.warehouse_type == sql.GetWarehouseResponseWarehouseType.PRO
    assert created.creator_name == "admin"
    assert created.odbc_params and created.odbc_params.path == f"/sql/1.0/warehouses/{created.id}"
    assert created.health and created.health.status == sql.Status.HEALTHY
    assert [wh.name for wh in w.warehouses.list()] == ["analytics"]


def test_stop_and_start(w: WorkspaceClient) -> None:
    created = w.warehouses.create(name="wh", auto_stop_mins=10).result(timeout=TIMEOUT)
    assert created.id
    stopped = w.warehouses.stop(created.id).result(timeout=TIMEOUT)
    assert stopped.state == sql.State.STOPPED
    assert stopped.num_clusters == 0
    running = w.warehouses.start(created.id).result(timeout=TIMEOUT)
    assert running.state == sql.State.RUNNING


def test_edit_keeps_what_it_does_not_change(w: WorkspaceClient) -> None:
    created = w.warehouses.create(
        name="wh", enable_serverless_compute=True, tags=sql.EndpointTags(custom_tags=[])
    ).result(timeout=TIMEOUT)
    assert created.id
    edited = w.warehouses.edit(created.id, name="renamed", max_num_clusters=3).result(
        timeout=TIMEOUT
    )
    assert (edited.name, edited.max_num_clusters) == ("renamed", 3)
    assert edited.enable_serverless_compute is True


def test_delete_forgets_it(w: WorkspaceClient) -> None:
    created = w.warehouses.create(name="gone").result(timeout=TIMEOUT)
    assert created.id
    w.warehouses.delete(created.id)
    with pytest.raises(NotFound, match="does not exist"):
        w.warehouses.get(created.id)


def test_bad_settings_are_400_naming_the_field(w: WorkspaceClient) -> None:
    with pytest.raises(InvalidParameterValue, match="cluster_size 'Huge'"):
        w.warehouses.create(name="x", cluster_size="Huge")
    with pytest.raises(InvalidParameterValue, match="name is required"):
        w.warehouses.create(cluster_size="Small")
    with pytest.raises(InvalidParameterValue, match="max_num_clusters"):
        w.warehouses.create(name="x", min_num_clusters=3, max_num_clusters=1)
    assert list(w.warehouses.list()) == []


def test_a_database_url_is_never_shown(server: RunningServer) -> None:
    with server.client() as client:
        created = client.post(
            "/api/2.0/sql/warehouses",
            json={"name": "pg", "sqlalchemy_url": "postgresql://u:secret@127.0.0.1:1/db"},
        ).json()
        body = client.get(f"/api/2.0/sql/warehouses/{created['id']}").text
    assert "secret" not in body and "sqlalchemy_url" not in body
