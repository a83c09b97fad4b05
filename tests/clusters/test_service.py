"""The cluster life cycle: PENDING → RUNNING → TERMINATING → TERMINATED with its events and
reasons, restarts, edits, resizes, auto-termination, dead drivers, job clusters and recovery,
over real cluster processes (support.cluster_runtime)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from brickyard import storage
from brickyard.clock import FakeClock
from brickyard.clusters import (
    ClusterService,
    ClusterStartError,
    ClusterState,
)
from brickyard.errors import InvalidInputError, InvalidStateError, NotFoundError
from brickyard.spec import ClusterSpec
from support.cluster_runtime import ProcessClusterRuntime

SPEC: dict[str, Any] = {
    "cluster_name": "analytics",
    "spark_version": "15.4.x-scala2.12",
    "node_type_id": "Standard_DS3_v2",
    "num_workers": 2,
}


def wait_for(
    service: ClusterService, cluster_id: str, state: ClusterState
) -> storage.ClusterRecord:
    deadline = time.monotonic() + 20
    while True:
        record = service.get(cluster_id)
        if record.state == state:
            return record
        assert time.monotonic() < deadline, f"{cluster_id} stayed {record.state}"
        time.sleep(0.02)


def event_types(service: ClusterService, cluster_id: str) -> list[str]:
    events, _ = service.events(cluster_id, newest_first=False, limit=100)
    return [e.type for e in events]


def test_a_created_cluster_is_pending_then_runs_and_answers(
    service: ClusterService, runtime: ProcessClusterRuntime
) -> None:
    slow = {**SPEC, "spark_conf": {"brickyard.test.start_seconds": "0.5"}}
    created = service.create(slow, creator="alice")
    assert created.state == "PENDING"
    assert service.get(created.cluster_id).state == "PENDING"
    running = service.wait_running(created.cluster_id, timeout=20)
    record = service.get(created.cluster_id)
    assert record.state == "RUNNING"
    assert record.spark_context_id == running.spark_context_id
    assert runtime.accepts(created.cluster_id, running.connect_url)
    assert event_types(service, created.cluster_id) == ["CREATING", "RUNNING"]
    assert record.creator_user_name == "alice" and record.cluster_source == "API"


def test_a_failed_start_ends_terminated_with_the_drivers_message(service: ClusterService) -> None:
    broken = {**SPEC, "spark_conf": {"brickyard.test.fail": "java.lang.OutOfMemoryError"}}
    cluster_id = service.create(broken).cluster_id
    with pytest.raises(ClusterStartError, match="OutOfMemoryError"):
        service.wait_running(cluster_id, timeout=20)
    record = service.get(cluster_id)
    assert record.state == "TERMINATED"
    assert record.state_message == "java.lang.OutOfMemoryError"
    assert record.termination_reason == {
        "code": "SPARK_STARTUP_FAILURE",
        "type": "CLIENT_ERROR",
        "parameters": {"databricks_error_message": "java.lang.OutOfMemoryError"},
    }


def test_terminate_stops_the_process_and_says_who(
    service: ClusterService, runtime: ProcessClusterRuntime
) -> None:
    cluster_id = service.create(SPEC).cluster_id
    service.wait_running(cluster_id, timeout=20)
    service.terminate(cluster_id, user="bob")
    assert service.get(cluster_id).state in ("TERMINATING", "TERMINATED")
    record = wait_for(service, cluster_id, ClusterState.TERMINATED)
    assert not runtime.is_alive(cluster_id)
    assert record.termination_reason == {
        "code": "USER_REQUEST",
        "type": "SUCCESS",
        "parameters": {"username": "bob"},
    }
    assert record.terminated_time is not None and record.runtime is None
    service.terminate(cluster_id)  # terminating a terminated cluster changes nothing
    assert event_types(service, cluster_id) == ["CREATING", "RUNNING", "TERMINATING"]


def test_start_is_for_terminated_clusters_only(service: ClusterService) -> None:
    cluster_id = service.create(SPEC).cluster_id
    first = service.wait_running(cluster_id, timeout=20)
    with pytest.raises(InvalidStateError, match="unexpected state Running"):
        service.start(cluster_id)
    service.terminate(cluster_id)
    wait_for(service, cluster_id, ClusterState.TERMINATED)
    service.start(cluster_id)
    second = service.wait_running(cluster_id, timeout=20)
    assert second.spark_context_id != first.spark_context_id
    assert service.get(cluster_id).termination_reason is None
    assert event_types(service, cluster_id)[-2:] == ["STARTING", "RUNNING"]


def test_restart_gives_a_new_spark_context(service: ClusterService) -> None:
    cluster_id = service.create(SPEC).cluster_id
    first = service.wait_running(cluster_id, timeout=20)
    service.restart(cluster_id, user="alice")
    assert service.get(cluster_id).state == "RESTARTING"
    second = service.wait_running(cluster_id, timeout=20)
    record = service.get(cluster_id)
    assert second.spark_context_id != first.spark_context_id
    assert record.last_restarted_time is not None
    assert event_types(service, cluster_id) == ["CREATING", "RUNNING", "RESTARTING", "RUNNING"]


def test_an_edit_restarts_a_running_cluster_with_the_new_spec(service: ClusterService) -> None:
    cluster_id = service.create(SPEC).cluster_id
    first = service.wait_running(cluster_id, timeout=20)
    service.edit(cluster_id, {**SPEC, "cluster_name": "renamed", "num_workers": 1})
    second = service.wait_running(cluster_id, timeout=20)
    record = service.get(cluster_id)
    assert record.cluster_name == "renamed" and record.spec["num_workers"] == 1
    assert second.spark_context_id != first.spark_context_id
    events, _ = service.events(cluster_id, event_types=["EDITED"])
    assert events[0].details["previous_attributes"]["num_workers"] == 2


def test_resize_applies_the_new_size_by_restarting_spark(service: ClusterService) -> None:
    cluster_id = service.create(SPEC).cluster_id
    service.wait_running(cluster_id, timeout=20)
    service.resize(cluster_id, autoscale={"min_workers": 1, "max_workers": 3})
    assert service.get(cluster_id).state == "RESIZING"
    service.wait_running(cluster_id, timeout=20)
    record = service.get(cluster_id)
    assert record.spec["autoscale"] == {"min_workers": 1, "max_workers": 3}
    assert "num_workers" not in record.spec
    assert event_types(service, cluster_id)[-2:] == ["RESIZING", "UPSIZE_COMPLETED"]
    with pytest.raises(InvalidInputError, match="exactly one"):
        service.resize(cluster_id)


def test_bad_specs_are_refused_before_anything_is_stored(service: ClusterService) -> None:
    with pytest.raises(InvalidInputError, match="Standard_Nope"):
        service.create({**SPEC, "node_type_id": "Standard_Nope"})
    with pytest.raises(InvalidInputError, match="spark_version is required"):
        service.create({"cluster_name": "x", "num_workers": 1})
    with pytest.raises(InvalidInputError, match="cluster_name is required"):
        service.create({"spark_version": "15.4.x-scala2.12"})
    with pytest.raises(InvalidInputError, match="num_workers"):
        service.create({**SPEC, "num_workers": -1})
    assert service.list_clusters() == []


def test_an_idle_cluster_terminates_after_its_autotermination_minutes(
    service: ClusterService, clock: FakeClock
) -> None:
    idle = service.create({**SPEC, "autotermination_minutes": 10}).cluster_id
    busy = service.create({**SPEC, "autotermination_minutes": 10}).cluster_id
    forever = service.create(SPEC).cluster_id
    for cluster_id in (idle, busy, forever):
        service.wait_running(cluster_id, timeout=20)
    service.attach(busy, task_run_id=41)
    clock.advance(9 * 60)
    service.run_once()
    assert service.get(idle).state == "RUNNING"
    clock.advance(2 * 60)
    service.run_once()
    record = wait_for(service, idle, ClusterState.TERMINATED)
    assert record.termination_reason == {"code": "INACTIVITY", "type": "SUCCESS"}
    assert service.get(busy).state == "RUNNING"  # a task is using it
    assert service.get(forever).state == "RUNNING"  # 0: never auto-terminated
    service.detach(41)
    clock.advance(11 * 60)
    service.run_once()
    wait_for(service, busy, ClusterState.TERMINATED)


def test_a_cluster_whose_driver_died_is_marked_terminated(
    service: ClusterService, runtime: ProcessClusterRuntime
) -> None:
    cluster_id = service.create(SPEC).cluster_id
    service.wait_running(cluster_id, timeout=20)
    runtime.kill(cluster_id)
    service.run_once()
    record = wait_for(service, cluster_id, ClusterState.TERMINATED)
    assert record.termination_reason == {"code": "DRIVER_UNREACHABLE", "type": "SERVICE_FAULT"}
    assert "DRIVER_NOT_RESPONDING" in event_types(service, cluster_id)


def test_tasks_of_one_run_share_one_job_cluster(
    service: ClusterService, runtime: ProcessClusterRuntime
) -> None:
    spec = ClusterSpec.model_validate({"spark_version": "15.4.x-scala2.12", "num_workers": 1})
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.append(service.ensure_job_cluster(7, 3, "k", spec)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1
    cluster_id = found[0]
    other = service.ensure_job_cluster(7, 3, "other", spec)
    next_run = service.ensure_job_cluster(8, 3, "k", spec)
    assert len({cluster_id, other, next_run}) == 3
    service.wait_running(cluster_id, timeout=20)
    record = service.get(cluster_id)
    assert (record.cluster_source, record.cluster_name) == ("JOB", "job-3-run-7-k")
    assert (record.job_run_id, record.job_cluster_key, record.job_id) == (7, "k", 3)
    assert runtime.starts.count(cluster_id) == 1
    service.terminate_run_clusters(7)
    for ended in (cluster_id, other):
        terminated = wait_for(service, ended, ClusterState.TERMINATED)
        assert terminated.termination_reason == {"code": "JOB_FINISHED", "type": "SUCCESS"}
    assert service.get(next_run).state in ("PENDING", "RUNNING")


def test_job_clusters_cannot_be_edited(service: ClusterService) -> None:
    spec = ClusterSpec.model_validate({"spark_version": "15.4.x-scala2.12", "num_workers": 1})
    cluster_id = service.ensure_job_cluster(9, 1, "k", spec)
    service.wait_running(cluster_id, timeout=20)
    with pytest.raises(InvalidInputError, match="created by a job run"):
        service.edit(cluster_id, SPEC)


def test_ensure_running_starts_a_terminated_cluster(service: ClusterService) -> None:
    cluster_id = service.create(SPEC).cluster_id
    service.wait_running(cluster_id, timeout=20)
    service.terminate(cluster_id)
    service.ensure_running(cluster_id)  # waits out TERMINATING, then starts
    service.wait_running(cluster_id, timeout=20)
    service.ensure_running(cluster_id)  # running: nothing to do
    assert event_types(service, cluster_id).count("STARTING") == 1


def test_permanent_delete_forgets_the_cluster(
    service: ClusterService, runtime: ProcessClusterRuntime
) -> None:
    cluster_id = service.create(SPEC).cluster_id
    service.wait_running(cluster_id, timeout=20)
    service.permanent_delete(cluster_id)
    assert not runtime.is_alive(cluster_id)
    with pytest.raises(NotFoundError, match=f"Cluster {cluster_id} does not exist"):
        service.get(cluster_id)


def test_pin_and_unpin_are_recorded_once(service: ClusterService) -> None:
    cluster_id = service.create(SPEC).cluster_id
    service.pin(cluster_id, True)
    service.pin(cluster_id, True)
    assert service.get(cluster_id).pinned
    service.pin(cluster_id, False)
    assert not service.get(cluster_id).pinned
    types = event_types(service, cluster_id)
    assert types.count("PINNED") == 1 and types.count("UNPINNED") == 1


def test_recovery_restarts_interrupted_starts_and_marks_dead_servers(
    database: storage.Database, clock: FakeClock, runtime: ProcessClusterRuntime
) -> None:
    first = ClusterService(database, clock, runtime)
    running = first.create(SPEC).cluster_id
    first.wait_running(running, timeout=20)
    first.close()
    runtime.kill(running)  # the machine rebooted: the driver is gone
    with database.transaction() as conn:  # a start that a stopped brickyard never finished
        record = storage.read_cluster(conn, running)
        interrupted = storage.insert_cluster(
            conn,
            storage.ClusterRecord(
                **{**record.__dict__, "cluster_id": "0101-000000-pending0", "state": "PENDING"}
            ),
        )
    second = ClusterService(database, clock, runtime)
    try:
        second.recover()
        dead = wait_for(second, running, ClusterState.TERMINATED)
        assert dead.termination_reason == {"code": "DRIVER_UNREACHABLE", "type": "SERVICE_FAULT"}
        second.wait_running(interrupted.cluster_id, timeout=20)
    finally:
        second.close()


def test_recovery_ends_job_clusters_of_runs_that_finished(
    database: storage.Database, clock: FakeClock, runtime: ProcessClusterRuntime
) -> None:
    first = ClusterService(database, clock, runtime)
    spec = ClusterSpec.model_validate({"spark_version": "15.4.x-scala2.12"})
    cluster_id = first.ensure_job_cluster(424242, 1, "k", spec)  # no such run: it is over
    first.wait_running(cluster_id, timeout=20)
    first.close()
    second = ClusterService(database, clock, runtime)
    try:
        second.recover()
        record = second.get(cluster_id)
        assert record.state == "TERMINATED"
        assert record.termination_reason == {"code": "JOB_FINISHED", "type": "SUCCESS"}
        assert not runtime.is_alive(cluster_id)
    finally:
        second.close()


def test_terminated_while_starting_leaves_no_server_behind(
    service: ClusterService, runtime: ProcessClusterRuntime
) -> None:
    slow = {**SPEC, "spark_conf": {"brickyard.test.start_seconds": "0.5"}}
    cluster_id = service.create(slow).cluster_id
    service.terminate(cluster_id)
    wait_for(service, cluster_id, ClusterState.TERMINATED)
    deadline = time.monotonic() + 5
    while cluster_id not in runtime.starts and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert service.get(cluster_id).state == "TERMINATED"
    assert not runtime.is_alive(cluster_id)


def test_a_one_shot_process_stops_only_the_clusters_it_started(
    database: storage.Database, clock: FakeClock, runtime: ProcessClusterRuntime
) -> None:
    server = ClusterService(database, clock, runtime)
    kept = server.create(SPEC).cluster_id
    server.wait_running(kept, timeout=20)
    one_shot = ClusterService(database, clock, runtime)
    spec = ClusterSpec.model_validate({"spark_version": "15.4.x-scala2.12"})
    started = one_shot.ensure_job_cluster(1, 1, "k", spec)
    one_shot.wait_running(started, timeout=20)
    one_shot.close(stop_started=True)
    assert one_shot.get(started).state == "TERMINATED"
    assert not runtime.is_alive(started)
    assert server.get(kept).state == "RUNNING" and runtime.is_alive(kept)
    server.close()
