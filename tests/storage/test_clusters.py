"""Clusters, their events and libraries are stored and read back (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from brickyard import storage
from brickyard.errors import NotFoundError

NOW = 1_763_700_000_000


def _cluster(cluster_id: str, **changes: object) -> storage.ClusterRecord:
    values: dict[str, object] = {
        "cluster_id": cluster_id,
        "cluster_name": f"name-{cluster_id}",
        "spec": {"spark_version": "15.4.x-scala2.12", "num_workers": 1},
        "state": "PENDING",
        "state_message": "Starting Spark",
        "cluster_source": "API",
        "creator_user_name": "alice",
        "job_run_id": None,
        "job_cluster_key": None,
        "job_id": None,
        "pinned": False,
        "start_time": NOW,
        "last_restarted_time": None,
        "terminated_time": None,
        "last_activity_time": NOW,
        "termination_reason": None,
        "runtime": None,
        "spark_context_id": None,
    }
    values.update(changes)
    return storage.ClusterRecord(**values)  # type: ignore[arg-type]


def test_a_cluster_reads_back_as_written_and_changes_by_column(db: storage.Database) -> None:
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("c1"))
        storage.update_cluster(
            conn,
            "c1",
            state="RUNNING",
            runtime={"connect_url": "sc://127.0.0.1:1"},
            spark_context_id=2**62,
        )
    with db.read() as conn:
        record = storage.read_cluster(conn, "c1")
    assert record.state == "RUNNING"
    assert record.runtime == {"connect_url": "sc://127.0.0.1:1"}
    assert record.spark_context_id == 2**62
    assert record.spec == {"spark_version": "15.4.x-scala2.12", "num_workers": 1}


def test_an_unknown_cluster_is_named_in_the_error(db: storage.Database) -> None:
    with db.read() as conn, pytest.raises(NotFoundError, match="Cluster nope does not exist"):
        storage.read_cluster(conn, "nope")
    with db.transaction() as conn, pytest.raises(NotFoundError):
        storage.update_cluster(conn, "nope", state="RUNNING")


def test_identity_columns_cannot_be_changed(db: storage.Database) -> None:
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("c1"))
        with pytest.raises(ValueError, match="cluster_source"):
            storage.update_cluster(conn, "c1", cluster_source="JOB")


def test_a_run_has_one_cluster_per_job_cluster_key(db: storage.Database) -> None:
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("j1", job_run_id=7, job_cluster_key="shared"))
        storage.insert_cluster(conn, _cluster("j2", job_run_id=7, job_cluster_key="other"))
        storage.insert_cluster(conn, _cluster("a1"))
        storage.insert_cluster(conn, _cluster("a2"))  # all-purpose: no key, no conflict
    with db.read() as conn:
        found = storage.find_job_cluster(conn, 7, "shared")
        assert found is not None and found.cluster_id == "j1"
        assert storage.find_job_cluster(conn, 8, "shared") is None
        assert [c.cluster_id for c in storage.list_clusters(conn, job_run_id=7)] == ["j1", "j2"]
    with pytest.raises(IntegrityError), db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("j3", job_run_id=7, job_cluster_key="shared"))


def test_clusters_list_newest_first_and_filter_by_state_and_source(db: storage.Database) -> None:
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("old", start_time=NOW - 10, state="TERMINATED"))
        storage.insert_cluster(conn, _cluster("new", start_time=NOW, cluster_source="JOB"))
    with db.read() as conn:
        assert [c.cluster_id for c in storage.list_clusters(conn)] == ["new", "old"]
        assert [c.cluster_id for c in storage.list_clusters(conn, states=["TERMINATED"])] == ["old"]
        assert [c.cluster_id for c in storage.list_clusters(conn, sources=["JOB"])] == ["new"]


def test_events_page_in_either_order_and_filter_by_type(db: storage.Database) -> None:
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("c1"))
        for offset, kind in enumerate(["CREATING", "RUNNING", "TERMINATING", "STARTING"]):
            storage.add_cluster_event(
                conn, "c1", timestamp=NOW + offset, type=kind, details={"n": offset}
            )
    with db.read() as conn:
        newest, total = storage.list_cluster_events(conn, "c1", limit=2)
        oldest, _ = storage.list_cluster_events(conn, "c1", newest_first=False, limit=2, offset=1)
        running, count = storage.list_cluster_events(conn, "c1", event_types=["RUNNING"])
        late, _ = storage.list_cluster_events(conn, "c1", start_time=NOW + 2)
    assert total == 4
    assert [e.type for e in newest] == ["STARTING", "TERMINATING"]
    assert [e.type for e in oldest] == ["RUNNING", "TERMINATING"]
    assert (count, running[0].details) == (1, {"n": 1})
    assert [e.type for e in late] == ["STARTING", "TERMINATING"]


def test_a_library_is_added_once_and_keeps_its_status(db: storage.Database) -> None:
    jar = {"jar": "dbfs:/jars/a.jar"}
    wheel = {"whl": "/Workspace/w.whl"}
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("c1"))
        added = storage.add_cluster_libraries(conn, "c1", [jar, wheel], status="PENDING")
        again = storage.add_cluster_libraries(conn, "c1", [jar], status="PENDING")
        storage.set_library_status(
            conn, "c1", storage.library_key(jar), status="FAILED", messages=["no such file"]
        )
    with db.read() as conn:
        libraries = storage.list_cluster_libraries(conn, "c1")
    assert len(added) == 2 and again == []
    assert [(lib.library, lib.status, lib.messages) for lib in libraries] == [
        (jar, "FAILED", ["no such file"]),
        (wheel, "PENDING", []),
    ]


def test_deleting_a_cluster_removes_its_events_and_libraries(db: storage.Database) -> None:
    with db.transaction() as conn:
        storage.insert_cluster(conn, _cluster("c1"))
        storage.add_cluster_event(conn, "c1", timestamp=NOW, type="CREATING", details={})
        storage.add_cluster_libraries(conn, "c1", [{"jar": "a.jar"}], status="PENDING")
        storage.delete_cluster(conn, "c1")
    with db.read() as conn:
        assert storage.list_clusters(conn) == []
        assert conn.exec_driver_sql("SELECT count(*) FROM cluster_events").scalar_one() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM cluster_libraries").scalar_one() == 0
