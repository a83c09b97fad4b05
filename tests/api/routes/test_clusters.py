"""The Clusters API driven by the real ``databricks.sdk.WorkspaceClient``: create and wait,
get, list with filters and pages, edit, resize, restart, delete and start, events, pin, the
catalogue endpoints, and the errors clients rely on. Clusters are real processes
(support.cluster_runtime); real Spark clusters are in tests/clusters/test_spark_runtime.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidParameterValue, InvalidState, ResourceDoesNotExist
from databricks.sdk.service import compute

from support.api_server import RunningServer, start_server
from support.cluster_runtime import ProcessClusterRuntime

TIMEOUT = timedelta(seconds=30)


@pytest.fixture
def runtime() -> Iterator[ProcessClusterRuntime]:
    processes = ProcessClusterRuntime()
    yield processes
    processes.close()


@pytest.fixture
def server(tmp_path: Path, runtime: ProcessClusterRuntime) -> Iterator[RunningServer]:
    running, thread = start_server(tmp_path / "home", cluster_runtime=runtime)
    try:
        yield running
    finally:
        thread.stop()
        running.services.close()


@pytest.fixture
def w(server: RunningServer) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=server.token)


def _create(w: WorkspaceClient, name: str = "analytics", **extra: object) -> compute.ClusterDetails:
    return w.clusters.create(
        cluster_name=name,
        spark_version="15.4.x-scala2.12",
        node_type_id="Standard_DS3_v2",
        num_workers=2,
        **extra,  # type: ignore[arg-type]
    ).result(timeout=TIMEOUT)


def test_create_waits_until_running_and_get_shows_the_cluster(w: WorkspaceClient) -> None:
    details = _create(w, custom_tags={"team": "data"}, autotermination_minutes=30)
    assert details.state == compute.State.RUNNING
    assert details.cluster_source == compute.ClusterSource.API
    assert details.creator_user_name == "admin"
    assert details.spark_context_id
    assert details.custom_tags == {"team": "data"}
    assert details.autotermination_minutes == 30
    assert details.cluster_cores == 12.0  # driver and two workers of 4 cores
    assert details.default_tags and details.default_tags["ClusterId"] == details.cluster_id
    assert details.spec and details.spec.num_workers == 2
    again = w.clusters.get(details.cluster_id)
    assert again.cluster_name == "analytics"


def test_delete_terminates_and_start_brings_it_back(w: WorkspaceClient) -> None:
    cluster_id = _create(w).cluster_id
    assert cluster_id
    terminated = w.clusters.delete(cluster_id).result(timeout=TIMEOUT)
    assert terminated.state == compute.State.TERMINATED
    assert terminated.termination_reason
    assert terminated.termination_reason.code == compute.TerminationReasonCode.USER_REQUEST
    assert terminated.termination_reason.type == compute.TerminationReasonType.SUCCESS
    assert w.clusters.start(cluster_id).result(timeout=TIMEOUT).state == compute.State.RUNNING
    with pytest.raises(InvalidState, match="unexpected state"):
        w.clusters.start(cluster_id)


def test_ensure_cluster_is_running_starts_a_terminated_cluster(w: WorkspaceClient) -> None:
    cluster_id = _create(w).cluster_id
    assert cluster_id
    w.clusters.delete(cluster_id)  # not waited: ensure waits out TERMINATING
    w.clusters.ensure_cluster_is_running(cluster_id)
    assert w.clusters.get(cluster_id).state == compute.State.RUNNING


def test_restart_edit_and_resize_come_back_running(w: WorkspaceClient) -> None:
    details = _create(w)
    cluster_id = details.cluster_id
    assert cluster_id
    restarted = w.clusters.restart(cluster_id).result(timeout=TIMEOUT)
    assert restarted.spark_context_id != details.spark_context_id
    edited = w.clusters.edit(
        cluster_id,
        spark_version="16.4.x-scala2.12",
        cluster_name="renamed",
        node_type_id="Standard_DS4_v2",
        num_workers=1,
    ).result(timeout=TIMEOUT)
    assert (edited.cluster_name, edited.spark_version, edited.num_workers) == (
        "renamed",
        "16.4.x-scala2.12",
        1,
    )
    resized = w.clusters.resize(
        cluster_id, autoscale=compute.AutoScale(min_workers=1, max_workers=4)
    ).result(timeout=TIMEOUT)
    assert resized.autoscale == compute.AutoScale(min_workers=1, max_workers=4)
    assert resized.node_type_id == "Standard_DS4_v2"


def test_events_page_through_the_clusters_history(w: WorkspaceClient) -> None:
    cluster_id = _create(w).cluster_id
    assert cluster_id
    w.clusters.restart(cluster_id).result(timeout=TIMEOUT)
    w.clusters.pin(cluster_id)
    events = list(w.clusters.events(cluster_id, order=compute.GetEventsOrder.ASC, limit=2))
    assert [e.type for e in events] == [
        compute.EventType.CREATING,
        compute.EventType.RUNNING,
        compute.EventType.RESTARTING,
        compute.EventType.RUNNING,
        compute.EventType.PINNED,
    ]
    assert events[0].details and events[0].details.user == "admin"
    only = list(w.clusters.events(cluster_id, event_types=[compute.EventType.RESTARTING]))
    assert len(only) == 1


def test_list_filters_by_state_source_and_pin_and_pages(w: WorkspaceClient) -> None:
    first = _create(w, "one").cluster_id
    second = _create(w, "two").cluster_id
    assert first and second
    w.clusters.delete(first).result(timeout=TIMEOUT)
    w.clusters.pin(second)
    everything = [c.cluster_name for c in w.clusters.list(page_size=1)]
    assert sorted(everything) == ["one", "two"]
    running = w.clusters.list(
        filter_by=compute.ListClustersFilterBy(cluster_states=[compute.State.RUNNING])
    )
    assert [c.cluster_name for c in running] == ["two"]
    from_jobs = w.clusters.list(
        filter_by=compute.ListClustersFilterBy(cluster_sources=[compute.ClusterSource.JOB])
    )
    assert list(from_jobs) == []
    pinned = w.clusters.list(filter_by=compute.ListClustersFilterBy(is_pinned=True))
    assert [c.cluster_name for c in pinned] == ["two"]
    w.clusters.unpin(second)
    assert list(w.clusters.list(filter_by=compute.ListClustersFilterBy(is_pinned=True))) == []


def test_the_legacy_list_returns_every_cluster(w: WorkspaceClient, server: RunningServer) -> None:
    _create(w, "one")
    with server.client() as client:
        body = client.get("/api/2.0/clusters/list").json()
    assert [c["cluster_name"] for c in body["clusters"]] == ["one"]


def test_permanent_delete_makes_the_id_unknown(w: WorkspaceClient) -> None:
    cluster_id = _create(w).cluster_id
    assert cluster_id
    w.clusters.permanent_delete(cluster_id)
    with pytest.raises(ResourceDoesNotExist, match=f"Cluster {cluster_id} does not exist"):
        w.clusters.get(cluster_id)
    with pytest.raises(InvalidParameterValue, match="does not exist"):
        w.clusters.delete(cluster_id)


def test_a_bad_spec_is_a_400_that_names_the_field(w: WorkspaceClient) -> None:
    with pytest.raises(InvalidParameterValue, match="Standard_Nope"):
        w.clusters.create(
            cluster_name="x", spark_version="15.4.x-scala2.12", node_type_id="Standard_Nope"
        )
    with pytest.raises(InvalidParameterValue, match="spark_version is required"):
        w.clusters.create(spark_version="", cluster_name="x")
    assert list(w.clusters.list()) == []


def test_a_failed_start_reaches_the_sdk_as_terminated(w: WorkspaceClient) -> None:
    from databricks.sdk.errors import OperationFailed

    waiter = w.clusters.create(
        cluster_name="broken",
        spark_version="15.4.x-scala2.12",
        spark_conf={"brickyard.test.fail": "driver exited with code 1"},
    )
    with pytest.raises(OperationFailed, match="driver exited with code 1"):
        waiter.result(timeout=TIMEOUT)
    details = w.clusters.get(waiter.cluster_id)
    assert details.termination_reason
    assert details.termination_reason.code == compute.TerminationReasonCode.SPARK_STARTUP_FAILURE


def test_catalogue_endpoints_list_node_types_versions_and_zones(w: WorkspaceClient) -> None:
    node_types = {n.node_type_id: n for n in w.clusters.list_node_types().node_types or []}
    ds3 = node_types["Standard_DS3_v2"]
    assert (ds3.num_cores, ds3.memory_mb) == (4.0, 14336)
    assert "m5.xlarge" in node_types and "n2-standard-4" in node_types
    versions = [v.key for v in w.clusters.spark_versions().versions or []]
    assert "15.4.x-scala2.12" in versions and "13.3.x-scala2.12" in versions
    assert w.clusters.select_spark_version(long_term_support=True, latest=True)
    zones = w.clusters.list_zones()
    assert zones.default_zone in (zones.zones or [])


def test_the_21_and_20_paths_serve_the_same_clusters(server: RunningServer) -> None:
    with server.client() as client:
        response = client.post(
            "/api/2.0/clusters/create",
            json={"cluster_name": "legacy", "spark_version": "15.4.x-scala2.12", "num_workers": 0},
        )
        assert response.status_code == 200, response.text
        cluster_id = response.json()["cluster_id"]
        got = client.get("/api/2.1/clusters/get", params={"cluster_id": cluster_id})
        assert got.json()["cluster_name"] == "legacy"
        missing = client.get("/api/2.1/clusters/get", params={"cluster_id": "0000-nope"})
        assert missing.status_code == 400
        assert missing.json()["error_code"] == "INVALID_PARAMETER_VALUE"
        bad = client.post("/api/2.1/clusters/events", json={"cluster_id": cluster_id, "order": "X"})
        assert bad.status_code == 400 and "order" in bad.json()["message"]


def test_clusters_need_a_token(server: RunningServer) -> None:
    response = httpx.get(f"{server.url}/api/2.1/clusters/list")
    assert response.status_code == 401
