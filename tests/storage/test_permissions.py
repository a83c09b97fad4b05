from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from brickyard.storage import (
    Database,
    Grantee,
    JobPermissionRecord,
    create_job,
    delete_job,
    delete_job_permissions,
    list_grants_to,
    list_job_permissions,
    replace_job_permissions,
    revoke_job_permission,
    set_job_permission,
)

NOW = 1_763_700_000_000
ALICE = Grantee("user_name", "alice")
BOB = Grantee("user_name", "bob")
USERS = Grantee("group_name", "users")
ROBOT = Grantee("service_principal_name", "robot")


def _job(db: Database) -> int:
    with db.transaction() as conn:
        return create_job(conn, {"name": "j"}, now_ms=NOW).job_id


def test_set_and_list_orders_users_groups_then_service_principals(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ROBOT, "CAN_MANAGE_RUN")
        set_job_permission(conn, job_id, USERS, "CAN_VIEW")
        set_job_permission(conn, job_id, BOB, "CAN_MANAGE")
        set_job_permission(conn, job_id, ALICE, "IS_OWNER")
    with db.read() as conn:
        grants = list_job_permissions(conn, job_id)
    assert grants == [
        JobPermissionRecord(job_id, "user_name", "alice", "IS_OWNER"),
        JobPermissionRecord(job_id, "user_name", "bob", "CAN_MANAGE"),
        JobPermissionRecord(job_id, "group_name", "users", "CAN_VIEW"),
        JobPermissionRecord(job_id, "service_principal_name", "robot", "CAN_MANAGE_RUN"),
    ]


def test_set_replaces_the_grantees_level(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "CAN_VIEW")
        set_job_permission(conn, job_id, ALICE, "CAN_MANAGE")
    with db.read() as conn:
        assert [g.permission_level for g in list_job_permissions(conn, job_id)] == ["CAN_MANAGE"]


def test_same_name_different_kinds_are_different_grantees(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, Grantee("user_name", "x"), "CAN_VIEW")
        set_job_permission(conn, job_id, Grantee("service_principal_name", "x"), "CAN_MANAGE")
    with db.read() as conn:
        assert len(list_job_permissions(conn, job_id)) == 2


def test_revoke_reports_whether_there_was_a_grant(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "CAN_VIEW")
        assert revoke_job_permission(conn, job_id, ALICE) is True
        assert revoke_job_permission(conn, job_id, ALICE) is False
        assert list_job_permissions(conn, job_id) == []


def test_replace_makes_the_list_the_only_grants(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "IS_OWNER")
        set_job_permission(conn, job_id, USERS, "CAN_VIEW")
        result = replace_job_permissions(
            conn, job_id, [(BOB, "CAN_VIEW"), (ROBOT, "CAN_VIEW"), (BOB, "CAN_MANAGE")]
        )
    assert result == [
        JobPermissionRecord(job_id, "user_name", "bob", "CAN_MANAGE"),
        JobPermissionRecord(job_id, "service_principal_name", "robot", "CAN_VIEW"),
    ]
    with db.read() as conn:
        assert list_job_permissions(conn, job_id) == result


def test_replace_with_nothing_clears(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "IS_OWNER")
        assert replace_job_permissions(conn, job_id, []) == []


def test_list_grants_to_filters_by_job_and_grantee(db: Database) -> None:
    first, second, third = _job(db), _job(db), _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, first, ALICE, "CAN_VIEW")
        set_job_permission(conn, second, USERS, "CAN_MANAGE_RUN")
        set_job_permission(conn, second, BOB, "CAN_MANAGE")
        set_job_permission(conn, third, BOB, "IS_OWNER")
    with db.read() as conn:
        grants = list_grants_to(conn, [first, second, third], [ALICE, USERS])
        assert {(g.job_id, g.principal) for g in grants} == {(first, "alice"), (second, "users")}
        assert list_grants_to(conn, [third], [ALICE, USERS]) == []
        assert list_grants_to(conn, [], [ALICE]) == []
        assert list_grants_to(conn, [first], []) == []


def test_list_grants_to_handles_more_ids_than_one_statement_takes(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "CAN_VIEW")
    many = [*range(10_000, 12_000), job_id, job_id]
    with db.read() as conn:
        grants = list_grants_to(conn, many, [ALICE])
    assert [g.job_id for g in grants] == [job_id]


def test_delete_job_permissions_counts(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "IS_OWNER")
        set_job_permission(conn, job_id, USERS, "CAN_VIEW")
        assert delete_job_permissions(conn, job_id) == 2
        assert list_job_permissions(conn, job_id) == []


def test_grants_go_with_their_job(db: Database) -> None:
    job_id = _job(db)
    with db.transaction() as conn:
        set_job_permission(conn, job_id, ALICE, "IS_OWNER")
    with db.transaction() as conn:
        delete_job(conn, job_id)
    with db.read() as conn:
        assert list_job_permissions(conn, job_id) == []


def test_a_grant_needs_an_existing_job(db: Database) -> None:
    with pytest.raises(IntegrityError), db.transaction() as conn:
        set_job_permission(conn, 404, ALICE, "CAN_VIEW")
