from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from brickyard.errors import NotFoundError
from brickyard.storage import (
    AccessFilter,
    Database,
    Grantee,
    JobRecord,
    JobVersionRecord,
    count_jobs,
    create_job,
    delete_job,
    find_job_by_source,
    list_job_versions,
    list_jobs,
    read_job,
    set_job_permission,
    update_job_settings,
)

NOW = 1_763_700_000_000

SETTINGS = {
    "name": "Nightly ETL",
    "tasks": [{"task_key": "ingest", "notebook_task": {"notebook_path": "/ETL/ingest"}}],
    "max_concurrent_runs": 1,
    "tags": {"z": "last", "a": "first"},
    "unicode": "übung ✓",
}


def test_create_and_read_round_trip_json(db: Database) -> None:
    with db.transaction() as conn:
        job = create_job(
            conn, SETTINGS, now_ms=NOW, source_path="/p/job.yml", creator_user_name="me"
        )
    assert job == JobRecord(
        job_id=1,
        name="Nightly ETL",
        settings=SETTINGS,
        created_time=NOW,
        creator_user_name="me",
        source_path="/p/job.yml",
        version=1,
    )
    with db.read() as conn:
        stored = read_job(conn, job.job_id)
    assert stored == job
    # key order survives the round trip (clients see settings as they sent them)
    assert list(stored.settings["tags"]) == ["z", "a"]


def test_a_job_without_a_name_is_untitled(db: Database) -> None:
    with db.transaction() as conn:
        assert create_job(conn, {"tasks": []}, now_ms=NOW).name == "Untitled"


def test_read_an_unknown_job(db: Database) -> None:
    with db.read() as conn, pytest.raises(NotFoundError, match=r"^Job 42 does not exist\.$"):
        read_job(conn, 42)


def test_find_job_by_source(db: Database) -> None:
    with db.transaction() as conn:
        job = create_job(conn, SETTINGS, now_ms=NOW, source_path="/a.yml")
        create_job(conn, SETTINGS, now_ms=NOW)
    with db.read() as conn:
        assert find_job_by_source(conn, "/a.yml") == job
        assert find_job_by_source(conn, "/b.yml") is None


def test_a_source_path_belongs_to_one_job(db: Database) -> None:
    with pytest.raises(IntegrityError), db.transaction() as conn:
        create_job(conn, SETTINGS, now_ms=NOW, source_path="/a.yml")
        create_job(conn, SETTINGS, now_ms=NOW, source_path="/a.yml")


def test_list_and_count_jobs(db: Database) -> None:
    with db.transaction() as conn:
        ids = [
            create_job(conn, {"name": name}, now_ms=NOW).job_id
            for name in ["alpha", "Beta", "beta", "gamma", "BETA x"]
        ]
    with db.read() as conn:
        assert [j.job_id for j in list_jobs(conn)] == ids
        assert [j.job_id for j in list_jobs(conn, limit=2, offset=1)] == ids[1:3]
        assert [j.name for j in list_jobs(conn, name="BETA")] == ["Beta", "beta"]
        assert list_jobs(conn, name="bet") == []
        assert count_jobs(conn) == 5
        assert count_jobs(conn, name="beta") == 2


def test_list_and_count_jobs_visible_to(db: Database) -> None:
    bob, users = Grantee("user_name", "bob"), Grantee("group_name", "users")
    with db.transaction() as conn:
        ids = [create_job(conn, {"name": f"job {i % 2}"}, now_ms=NOW).job_id for i in range(9)]
        for job_id in ids[::3]:
            set_job_permission(conn, job_id, bob, "CAN_VIEW")
        set_job_permission(conn, ids[1], users, "CAN_MANAGE")
        set_job_permission(conn, ids[2], Grantee("group_name", "other"), "CAN_VIEW")
        set_job_permission(conn, ids[4], Grantee("user_name", "alice"), "IS_OWNER")
        set_job_permission(conn, ids[5], bob, "NOT_A_LEVEL")
    viewer = AccessFilter((bob, users), ("CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE"), "bob")
    visible = [ids[0], ids[1], ids[3], ids[6]]
    with db.read() as conn:
        assert [j.job_id for j in list_jobs(conn, visible_to=viewer)] == visible
        assert [j.job_id for j in list_jobs(conn, visible_to=viewer, limit=2, offset=1)] == [
            ids[1],
            ids[3],
        ]
        assert count_jobs(conn, visible_to=viewer) == 4
        assert [j.job_id for j in list_jobs(conn, name="JOB 1", visible_to=viewer)] == [
            ids[1],
            ids[3],
        ]
        assert count_jobs(conn, name="job 0", visible_to=viewer) == 2
        manager = AccessFilter((bob, users), ("CAN_MANAGE",), "bob")
        assert [j.job_id for j in list_jobs(conn, visible_to=manager)] == [ids[1]]


def test_update_job_settings_keeps_history(db: Database) -> None:
    with db.transaction() as conn:
        job = create_job(conn, SETTINGS, now_ms=NOW, creator_user_name="me")
    renamed = {**SETTINGS, "name": "Renamed"}
    with db.transaction() as conn:
        updated = update_job_settings(conn, job.job_id, renamed, now_ms=NOW + 5)
    assert updated.version == 2
    assert updated.name == "Renamed"
    assert updated.created_time == NOW
    assert updated.creator_user_name == "me"
    with db.read() as conn:
        assert read_job(conn, job.job_id) == updated
        assert [j.job_id for j in list_jobs(conn, name="renamed")] == [job.job_id]
        assert list_job_versions(conn, job.job_id) == [
            JobVersionRecord(job.job_id, 1, SETTINGS, NOW),
            JobVersionRecord(job.job_id, 2, renamed, NOW + 5),
        ]


def test_update_an_unknown_job(db: Database) -> None:
    with db.transaction() as conn, pytest.raises(NotFoundError, match="Job 7 does not"):
        update_job_settings(conn, 7, SETTINGS, now_ms=NOW)


def test_delete_job(db: Database) -> None:
    with db.transaction() as conn:
        job = create_job(conn, SETTINGS, now_ms=NOW)
        update_job_settings(conn, job.job_id, SETTINGS, now_ms=NOW)
    with db.transaction() as conn:
        delete_job(conn, job.job_id)
    with db.read() as conn:
        assert list_jobs(conn) == []
        assert list_job_versions(conn, job.job_id) == []
        with pytest.raises(NotFoundError):
            read_job(conn, job.job_id)
    with db.transaction() as conn, pytest.raises(NotFoundError, match="does not exist"):
        delete_job(conn, job.job_id)
