from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from brickyard import storage
from brickyard.api.access import (
    JobPermissionLevel,
    apply_access_control_list,
    can_view_run,
    effective_job_level,
    grant_owner,
    listing_filter,
    require_job_permission,
    require_run_permission,
)
from brickyard.api.auth import Principal
from brickyard.errors import InvalidInputError, PermissionDeniedError
from brickyard.states import RunType, TriggerType

NOW = 1_763_700_000_000
ADMIN = Principal("admin", True, "t0")
ALICE = Principal("alice", False, "t1")
BOB = Principal("bob", False, "t2")
CAROL = Principal("carol", False, "t3")

V = JobPermissionLevel.CAN_VIEW
RUN = JobPermissionLevel.CAN_MANAGE_RUN
MANAGE = JobPermissionLevel.CAN_MANAGE
OWNER = JobPermissionLevel.IS_OWNER


@pytest.fixture
def db(tmp_path: Path) -> Iterator[storage.Database]:
    database = storage.Database.open(f"sqlite:///{tmp_path / 'brickyard.db'}")
    try:
        yield database
    finally:
        database.dispose()


def _job(db: storage.Database, owner: str = "alice") -> int:
    with db.transaction() as conn:
        job = storage.create_job(conn, {"name": "j"}, now_ms=NOW, creator_user_name=owner)
        grant_owner(conn, job.job_id, owner)
        return job.job_id


def _grants(db: storage.Database, job_id: int) -> set[tuple[str, str, str]]:
    with db.read() as conn:
        return {
            (g.principal_type, g.principal, g.permission_level)
            for g in storage.list_job_permissions(conn, job_id)
        }


def _apply(db: storage.Database, job_id: int, acl: Any, *, replace: bool = False) -> None:
    with db.transaction() as conn:
        apply_access_control_list(conn, job_id, acl, replace=replace)


def _run(db: storage.Database, job_id: int | None, creator: str | None) -> storage.RunRecord:
    with db.transaction() as conn:
        return storage.create_run(
            conn,
            storage.NewRun(
                job_id=job_id,
                run_name="r",
                run_type=RunType.JOB_RUN if job_id is not None else RunType.SUBMIT_RUN,
                trigger=TriggerType.ONE_TIME,
                settings={"name": "r", "tasks": []},
                created_time=NOW,
                creator_user_name=creator,
            ),
        )


def test_levels_are_ordered_by_what_they_allow_not_alphabetically() -> None:
    assert V < RUN < MANAGE < OWNER
    assert not MANAGE < RUN  # as plain strings it would be
    assert str(MANAGE) < str(RUN)
    assert sorted([OWNER, V, MANAGE, RUN]) == [V, RUN, MANAGE, OWNER]
    assert MANAGE >= RUN
    assert max([RUN, OWNER, V]) == OWNER
    assert RUN.rank == 1
    assert str(MANAGE) == "CAN_MANAGE"


def test_a_level_name_compares_as_the_level_and_anything_else_is_refused() -> None:
    assert RUN < "CAN_MANAGE"
    assert "CAN_MANAGE" > RUN  # noqa: SIM300 - the reflected comparison is the point
    with pytest.raises(TypeError):
        _ = V < "CAN_RUN"
    with pytest.raises(TypeError):
        _ = V < 3


def test_the_owner_may_do_everything(db: storage.Database) -> None:
    job_id = _job(db)
    with db.read() as conn:
        for level in JobPermissionLevel:
            require_job_permission(conn, ALICE, job_id, level)
        assert effective_job_level(conn, ALICE, job_id) == OWNER


def test_admins_pass_without_grants(db: storage.Database) -> None:
    job_id = _job(db)
    with db.read() as conn:
        require_job_permission(conn, ADMIN, job_id, OWNER)
        assert effective_job_level(conn, ADMIN, job_id) is None


def test_a_user_without_grants_is_refused_with_a_clear_message(db: storage.Database) -> None:
    job_id = _job(db)
    with db.read() as conn, pytest.raises(PermissionDeniedError) as caught:
        require_job_permission(conn, BOB, job_id, MANAGE)
    assert str(caught.value) == f"User bob does not have CAN_MANAGE permission on job {job_id}."
    assert caught.value.error_code == "PERMISSION_DENIED"


def test_a_grant_allows_its_level_and_below_only(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "CAN_MANAGE_RUN"}])
    with db.read() as conn:
        require_job_permission(conn, BOB, job_id, V)
        require_job_permission(conn, BOB, job_id, RUN)
        with pytest.raises(PermissionDeniedError):
            require_job_permission(conn, BOB, job_id, MANAGE)


def test_the_users_group_grants_to_everyone(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"group_name": "users", "permission_level": "CAN_VIEW"}])
    with db.read() as conn:
        require_job_permission(conn, CAROL, job_id, V)
        with pytest.raises(PermissionDeniedError):
            require_job_permission(conn, CAROL, job_id, RUN)


def test_the_highest_of_user_and_group_grants_counts(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(
        db,
        job_id,
        [
            {"group_name": "users", "permission_level": "CAN_MANAGE"},
            {"user_name": "bob", "permission_level": "CAN_VIEW"},
        ],
    )
    with db.read() as conn:
        assert effective_job_level(conn, BOB, job_id) == MANAGE


def test_other_groups_give_nothing(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"group_name": "data-eng", "permission_level": "CAN_MANAGE"}])
    with db.read() as conn:
        assert effective_job_level(conn, BOB, job_id) is None


def test_a_service_principal_grant_applies_to_its_token(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"service_principal_name": "robot", "permission_level": "CAN_MANAGE_RUN"}])
    with db.read() as conn:
        require_job_permission(conn, Principal("robot", False, "t9"), job_id, RUN)


def test_grants_are_per_job(db: storage.Database) -> None:
    first, second = _job(db), _job(db, owner="bob")
    with db.read() as conn:
        with pytest.raises(PermissionDeniedError):
            require_job_permission(conn, ALICE, second, V)
        require_job_permission(conn, ALICE, first, V)


def _listed_jobs(db: storage.Database, principal: Principal, level: JobPermissionLevel) -> set[int]:
    with db.read() as conn:
        jobs = storage.list_jobs(conn, visible_to=listing_filter(principal, level), limit=100)
        return {job.job_id for job in jobs}


def test_job_listings_show_what_a_caller_may_see(db: storage.Database) -> None:
    mine, bobs, shared = _job(db), _job(db, owner="bob"), _job(db, owner="bob")
    _apply(db, shared, [{"group_name": "users", "permission_level": "CAN_VIEW"}])
    assert _listed_jobs(db, ALICE, V) == {mine, shared}
    assert _listed_jobs(db, BOB, V) == {bobs, shared}
    assert _listed_jobs(db, CAROL, V) == {shared}
    assert _listed_jobs(db, ADMIN, V) == {mine, bobs, shared}
    assert _listed_jobs(db, CAROL, RUN) == set()
    assert _listed_jobs(db, BOB, OWNER) == {bobs, shared}
    assert listing_filter(ADMIN) is None


def test_run_listings_agree_with_the_check_of_each_run(db: storage.Database) -> None:
    """The SQL filter and the per-run rule decide alike for every kind of run and caller."""
    owned, viewed, managed, grouped, unknown_level, deleted = (_job(db) for _ in range(6))
    _apply(db, viewed, [{"user_name": "bob", "permission_level": "CAN_VIEW"}])
    _apply(db, managed, [{"service_principal_name": "bob", "permission_level": "CAN_MANAGE"}])
    _apply(db, grouped, [{"group_name": "users", "permission_level": "CAN_MANAGE_RUN"}])
    _apply(db, deleted, [{"user_name": "carol", "permission_level": "CAN_VIEW"}])
    with db.transaction() as conn:
        storage.set_job_permission(
            conn, unknown_level, storage.Grantee("user_name", "bob"), "CAN_PEEK"
        )
    runs = [
        _run(db, job_id, creator)
        for job_id in (owned, viewed, managed, grouped, unknown_level, deleted, None)
        for creator in ("alice", "bob", "carol", None)
    ]
    with db.transaction() as conn:
        storage.delete_job(conn, deleted)
    for principal in (ADMIN, ALICE, BOB, CAROL, Principal("dave", False, "t4")):
        for level in JobPermissionLevel:
            with db.read() as conn:
                expected = {run.run_id for run in runs if _may(conn, principal, run, level)}
                visible_to = listing_filter(principal, level)
                listed = storage.list_runs(conn, visible_to=visible_to, limit=1000)
                active = storage.list_active_runs(conn, visible_to=visible_to)
            assert {run.run_id for run in listed} == expected, (principal, level)
            assert {run.run_id for run in active} == expected, (principal, level)
    with db.read() as conn:
        assert len(storage.list_runs(conn, visible_to=listing_filter(BOB), limit=1000)) == 14


def _may(
    conn: Connection, principal: Principal, run: storage.RunRecord, level: JobPermissionLevel
) -> bool:
    try:
        require_run_permission(conn, principal, run, level)
    except PermissionDeniedError:
        return False
    return True


def test_grant_owner_moves_ownership(db: storage.Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        grant_owner(conn, job_id, "bob")
    assert _grants(db, job_id) == {("user_name", "bob", "IS_OWNER")}


def test_merge_adds_and_changes_grants_and_keeps_the_rest(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "CAN_VIEW"}])
    _apply(
        db,
        job_id,
        [
            {"user_name": "bob", "permission_level": "CAN_MANAGE"},
            {"group_name": "users", "permission_level": "CAN_VIEW"},
        ],
    )
    assert _grants(db, job_id) == {
        ("user_name", "alice", "IS_OWNER"),
        ("user_name", "bob", "CAN_MANAGE"),
        ("group_name", "users", "CAN_VIEW"),
    }


def test_replace_drops_unlisted_grants_but_keeps_the_owner(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "CAN_MANAGE"}])
    _apply(db, job_id, [{"user_name": "carol", "permission_level": "CAN_VIEW"}], replace=True)
    assert _grants(db, job_id) == {
        ("user_name", "alice", "IS_OWNER"),
        ("user_name", "carol", "CAN_VIEW"),
    }
    _apply(db, job_id, [], replace=True)
    assert _grants(db, job_id) == {("user_name", "alice", "IS_OWNER")}
    _apply(db, job_id, None, replace=True)
    assert _grants(db, job_id) == {("user_name", "alice", "IS_OWNER")}


@pytest.mark.parametrize("replace", [False, True])
def test_a_new_owner_takes_over(db: storage.Database, replace: bool) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "IS_OWNER"}], replace=replace)
    assert _grants(db, job_id) == {("user_name", "bob", "IS_OWNER")}


def test_the_previous_owner_keeps_what_the_same_request_gives_it(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(
        db,
        job_id,
        [
            {"service_principal_name": "robot", "permission_level": "IS_OWNER"},
            {"user_name": "alice", "permission_level": "CAN_MANAGE"},
        ],
    )
    assert _grants(db, job_id) == {
        ("service_principal_name", "robot", "IS_OWNER"),
        ("user_name", "alice", "CAN_MANAGE"),
    }


def test_the_owner_cannot_be_lowered_without_a_new_owner(db: storage.Database) -> None:
    job_id = _job(db)
    with pytest.raises(InvalidInputError) as caught:
        _apply(
            db,
            job_id,
            [
                {"user_name": "bob", "permission_level": "CAN_VIEW"},
                {"user_name": "alice", "permission_level": "CAN_VIEW"},
            ],
        )
    assert str(caught.value).startswith(
        f"access_control_list[1].permission_level: user alice owns job {job_id};"
    )
    assert _grants(db, job_id) == {("user_name", "alice", "IS_OWNER")}


def test_the_owner_listed_as_owner_again_changes_nothing(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "alice", "permission_level": "IS_OWNER"}], replace=True)
    assert _grants(db, job_id) == {("user_name", "alice", "IS_OWNER")}


def test_a_principal_listed_twice_keeps_its_highest_level(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(
        db,
        job_id,
        [
            {"user_name": "bob", "permission_level": "CAN_MANAGE"},
            {"user_name": "bob", "permission_level": "CAN_VIEW"},
        ],
    )
    assert ("user_name", "bob", "CAN_MANAGE") in _grants(db, job_id)


def test_a_job_without_owner_can_be_given_one(db: storage.Database) -> None:
    with db.transaction() as conn:
        job_id = storage.create_job(conn, {"name": "deployed"}, now_ms=NOW).job_id
    _apply(db, job_id, [{"group_name": "users", "permission_level": "CAN_VIEW"}], replace=True)
    assert _grants(db, job_id) == {("group_name", "users", "CAN_VIEW")}
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "IS_OWNER"}])
    assert ("user_name", "bob", "IS_OWNER") in _grants(db, job_id)


@pytest.mark.parametrize(
    ("acl", "message"),
    [
        ("CAN_VIEW", "access_control_list must be a list of objects"),
        ({"user_name": "bob"}, "access_control_list must be a list of objects"),
        (["bob"], "access_control_list[0] must be an object"),
        (
            [{"permission_level": "CAN_VIEW"}],
            "access_control_list[0]: give exactly one of user_name, group_name, "
            "service_principal_name (got none).",
        ),
        (
            [
                {"user_name": "bob", "permission_level": "CAN_VIEW"},
                {"user_name": "x", "group_name": "y", "permission_level": "CAN_VIEW"},
            ],
            "access_control_list[1]: give exactly one of user_name, group_name, "
            "service_principal_name (got user_name and group_name).",
        ),
        (
            [{"user_name": "", "permission_level": "CAN_VIEW"}],
            "access_control_list[0].user_name must be a non-empty string.",
        ),
        (
            [{"group_name": 7, "permission_level": "CAN_VIEW"}],
            "access_control_list[0].group_name must be a non-empty string.",
        ),
        (
            [{"user_name": "bob"}],
            "access_control_list[0].permission_level is required (one of CAN_VIEW, "
            "CAN_MANAGE_RUN, CAN_MANAGE, IS_OWNER).",
        ),
        (
            [
                {"user_name": "bob", "permission_level": "CAN_VIEW"},
                {"user_name": "carol", "permission_level": "CAN_RUN"},
            ],
            "access_control_list[1].permission_level: 'CAN_RUN' is not one of CAN_VIEW, "
            "CAN_MANAGE_RUN, CAN_MANAGE, IS_OWNER.",
        ),
        (
            [{"user_name": "bob", "permission_level": "can_view"}],
            "access_control_list[0].permission_level: 'can_view' is not one of",
        ),
        (
            [{"group_name": "users", "permission_level": "IS_OWNER"}],
            "access_control_list[0].permission_level: IS_OWNER can only be given to a user or "
            "a service principal, not to group users.",
        ),
        (
            [{"group_name": "admins", "permission_level": "CAN_VIEW"}],
            "access_control_list[0].group_name: the admins group always has CAN_MANAGE",
        ),
        (
            [
                {"user_name": "bob", "permission_level": "IS_OWNER"},
                {"service_principal_name": "robot", "permission_level": "IS_OWNER"},
            ],
            "access_control_list[1].permission_level: a job has exactly one owner, and "
            "access_control_list[0] already makes user bob IS_OWNER.",
        ),
    ],
)
def test_bad_entries_are_refused_by_path_and_change_nothing(
    db: storage.Database, acl: Any, message: str
) -> None:
    job_id = _job(db)
    with pytest.raises(InvalidInputError) as caught:
        _apply(db, job_id, acl, replace=True)
    assert str(caught.value).startswith(message)
    assert _grants(db, job_id) == {("user_name", "alice", "IS_OWNER")}


def test_one_time_runs_are_visible_to_their_creator_and_admins(db: storage.Database) -> None:
    run = _run(db, None, "bob")
    with db.read() as conn:
        assert can_view_run(conn, BOB, run)
        assert can_view_run(conn, ADMIN, run)
        assert not can_view_run(conn, ALICE, run)
        require_run_permission(conn, BOB, run, OWNER)
        with pytest.raises(PermissionDeniedError) as caught:
            require_run_permission(conn, ALICE, run, RUN)
    assert str(caught.value) == (
        f"User alice does not have CAN_MANAGE_RUN permission on run {run.run_id}."
    )


def test_a_one_time_run_without_creator_is_for_admins_only(db: storage.Database) -> None:
    run = _run(db, None, None)
    with db.read() as conn:
        assert not can_view_run(conn, ALICE, run)
        assert can_view_run(conn, ADMIN, run)


def test_job_runs_follow_the_job_permissions(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "CAN_VIEW"}])
    run = _run(db, job_id, "alice")
    with db.read() as conn:
        assert can_view_run(conn, ALICE, run)
        assert can_view_run(conn, BOB, run)
        assert not can_view_run(conn, CAROL, run)
        require_run_permission(conn, BOB, run, V)
        with pytest.raises(PermissionDeniedError) as caught:
            require_run_permission(conn, BOB, run, RUN)
    assert str(caught.value) == (
        f"User bob does not have CAN_MANAGE_RUN permission on job {job_id}."
    )


def test_a_job_run_started_by_someone_who_lost_access_is_hidden(db: storage.Database) -> None:
    job_id = _job(db)
    run = _run(db, job_id, "bob")
    with db.read() as conn:
        assert not can_view_run(conn, BOB, run)


def test_runs_of_a_deleted_job_stay_visible_to_their_creator(db: storage.Database) -> None:
    job_id = _job(db)
    _apply(db, job_id, [{"user_name": "bob", "permission_level": "CAN_MANAGE_RUN"}])
    run = _run(db, job_id, "bob")
    with db.transaction() as conn:
        storage.delete_job(conn, job_id)
    with db.read() as conn:
        assert can_view_run(conn, BOB, run)
        assert not can_view_run(conn, ALICE, run)
        assert can_view_run(conn, ADMIN, run)
        with pytest.raises(PermissionDeniedError) as caught:
            require_run_permission(conn, ALICE, run, V)
    assert str(caught.value).endswith(f"permission on run {run.run_id}.")
