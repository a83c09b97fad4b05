"""The job permissions routes, driven by the real ``databricks.sdk.WorkspaceClient``: read,
replace, merge, permission levels, who may do what, and the errors for unknown or malformed
jobs and ACLs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidParameterValue, PermissionDenied, ResourceDoesNotExist
from databricks.sdk.service.jobs import JobAccessControlRequest, JobPermissionLevel

from brickyard import storage
from support.api_server import RunningServer

PERMISSIONS = "/api/2.0/permissions/jobs"
TASKS = [{"task_key": "main", "spark_python_task": {"python_file": "/noop.py"}}]


def _token(server: RunningServer, user: str) -> str:
    value = f"dapi-test-{user}"
    with server.services.database.transaction() as conn:
        storage.create_token(
            conn,
            token_id=f"id-{user}",
            value=value,
            user_name=user,
            is_admin=False,
            comment="",
            now_ms=0,
        )
    return value


def _sdk(server: RunningServer, token: str | None = None) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=token or server.token)


def _create_job(server: RunningServer, token: str | None = None, **extra: Any) -> int:
    with server.client(token) as client:
        response = client.post(
            "/api/2.2/jobs/create", json={"name": "guarded", "tasks": TASKS, **extra}
        )
    assert response.status_code == 200, response.text
    job_id: int = response.json()["job_id"]
    return job_id


def _direct(body: dict[str, Any]) -> set[tuple[str, str, str]]:
    """The direct grants of a JobPermissions body as (kind, name, level)."""
    found = set()
    for entry in body["access_control_list"]:
        for permission in entry["all_permissions"]:
            if not permission["inherited"]:
                kind = next(
                    k for k in ("user_name", "group_name", "service_principal_name") if k in entry
                )
                found.add((kind, entry[kind], permission["permission_level"]))
    return found


def test_a_new_job_is_owned_by_its_creator_and_managed_by_admins(server: RunningServer) -> None:
    job_id = _create_job(server)
    permissions = _sdk(server).jobs.get_permissions(str(job_id))
    assert permissions.object_id == f"/jobs/{job_id}"
    assert permissions.object_type == "job"
    acl = permissions.access_control_list or []
    assert [(e.user_name, e.group_name) for e in acl] == [("admin", None), (None, "admins")]
    owner, admins = acl
    assert owner.all_permissions is not None and admins.all_permissions is not None
    assert owner.all_permissions[0].permission_level == JobPermissionLevel.IS_OWNER
    assert owner.all_permissions[0].inherited is False
    assert admins.all_permissions[0].permission_level == JobPermissionLevel.CAN_MANAGE
    assert admins.all_permissions[0].inherited is True
    assert admins.all_permissions[0].inherited_from_object == ["/jobs/"]


def test_set_replaces_and_update_merges(server: RunningServer) -> None:
    w = _sdk(server)
    job_id = str(_create_job(server))
    w.jobs.set_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(user_name="bob", permission_level=JobPermissionLevel.CAN_VIEW)
        ],
    )
    updated = w.jobs.update_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(
                group_name="users", permission_level=JobPermissionLevel.CAN_MANAGE_RUN
            ),
            JobAccessControlRequest(
                service_principal_name="robot", permission_level=JobPermissionLevel.CAN_MANAGE
            ),
        ],
    )
    assert _direct(updated.as_dict()) == {
        ("user_name", "admin", "IS_OWNER"),
        ("user_name", "bob", "CAN_VIEW"),
        ("group_name", "users", "CAN_MANAGE_RUN"),
        ("service_principal_name", "robot", "CAN_MANAGE"),
    }
    replaced = w.jobs.set_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(user_name="carol", permission_level=JobPermissionLevel.CAN_VIEW)
        ],
    )
    assert _direct(replaced.as_dict()) == {
        ("user_name", "admin", "IS_OWNER"),
        ("user_name", "carol", "CAN_VIEW"),
    }
    emptied = w.jobs.set_permissions(job_id)
    assert _direct(emptied.as_dict()) == {("user_name", "admin", "IS_OWNER")}
    assert w.jobs.get_permissions(job_id).as_dict() == emptied.as_dict()


def test_ownership_moves_to_the_new_owner(server: RunningServer) -> None:
    w = _sdk(server)
    job_id = str(_create_job(server))
    body = w.jobs.update_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(user_name="bob", permission_level=JobPermissionLevel.IS_OWNER)
        ],
    ).as_dict()
    assert _direct(body) == {("user_name", "bob", "IS_OWNER")}


def test_permission_levels_are_listed_weakest_first(server: RunningServer) -> None:
    job_id = str(_create_job(server))
    levels = _sdk(server).jobs.get_permission_levels(job_id).permission_levels or []
    assert [level.permission_level for level in levels] == [
        JobPermissionLevel.CAN_VIEW,
        JobPermissionLevel.CAN_MANAGE_RUN,
        JobPermissionLevel.CAN_MANAGE,
        JobPermissionLevel.IS_OWNER,
    ]
    assert all(level.description for level in levels)


def test_a_viewer_may_read_but_not_change_permissions(server: RunningServer) -> None:
    job_id = str(_create_job(server))
    bob = _sdk(server, _token(server, "bob"))
    _sdk(server).jobs.update_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(user_name="bob", permission_level=JobPermissionLevel.CAN_VIEW)
        ],
    )
    assert bob.jobs.get_permissions(job_id).object_id == f"/jobs/{job_id}"
    assert bob.jobs.get_permission_levels(job_id).permission_levels
    with pytest.raises(PermissionDenied, match="User bob does not have CAN_MANAGE permission"):
        bob.jobs.set_permissions(
            job_id,
            access_control_list=[
                JobAccessControlRequest(
                    user_name="bob", permission_level=JobPermissionLevel.CAN_MANAGE
                )
            ],
        )
    with server.client(_token(server, "carol")) as carol:
        response = carol.get(f"{PERMISSIONS}/{job_id}")
    assert response.status_code == 403
    assert response.json()["error_code"] == "PERMISSION_DENIED"


def test_a_manager_may_change_permissions(server: RunningServer) -> None:
    job_id = str(_create_job(server))
    _sdk(server).jobs.update_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(user_name="bob", permission_level=JobPermissionLevel.CAN_MANAGE)
        ],
    )
    bob = _sdk(server, _token(server, "bob"))
    body = bob.jobs.update_permissions(
        job_id,
        access_control_list=[
            JobAccessControlRequest(
                group_name="users", permission_level=JobPermissionLevel.CAN_VIEW
            )
        ],
    ).as_dict()
    assert ("group_name", "users", "CAN_VIEW") in _direct(body)


def test_grants_decide_who_sees_and_runs_a_job(server: RunningServer) -> None:
    bob_token = _token(server, "bob")
    job_id = _create_job(server, bob_token)
    carol_token = _token(server, "carol")
    with server.client(carol_token) as carol:
        hidden = carol.get("/api/2.2/jobs/get", params={"job_id": job_id})
        assert hidden.status_code == 403, hidden.text
        assert carol.get("/api/2.2/jobs/list").json().get("jobs", []) == []
        with server.client(bob_token) as bob:
            granted = bob.patch(
                f"{PERMISSIONS}/{job_id}",
                json={
                    "access_control_list": [{"group_name": "users", "permission_level": "CAN_VIEW"}]
                },
            )
        assert granted.status_code == 200, granted.text
        assert carol.get("/api/2.2/jobs/get", params={"job_id": job_id}).status_code == 200
        listed = carol.get("/api/2.2/jobs/list").json()["jobs"]
        assert [job["job_id"] for job in listed] == [job_id]
        refused = carol.post("/api/2.2/jobs/run-now", json={"job_id": job_id})
        assert refused.status_code == 403, refused.text


def test_create_applies_its_access_control_list(server: RunningServer) -> None:
    job_id = _create_job(
        server,
        access_control_list=[{"user_name": "bob", "permission_level": "CAN_MANAGE_RUN"}],
    )
    body = _sdk(server).jobs.get_permissions(str(job_id)).as_dict()
    assert _direct(body) == {
        ("user_name", "admin", "IS_OWNER"),
        ("user_name", "bob", "CAN_MANAGE_RUN"),
    }


def test_an_unknown_job_is_not_found(server: RunningServer) -> None:
    w = _sdk(server)
    with pytest.raises(ResourceDoesNotExist, match="Job 404 does not exist"):
        w.jobs.get_permissions("404")
    with server.client() as api:
        response = api.put(f"{PERMISSIONS}/404", json={"access_control_list": []})
        assert response.status_code == 404
        assert response.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"
        assert api.get(f"{PERMISSIONS}/404/permissionLevels").status_code == 404
        huge = api.get(f"{PERMISSIONS}/{10**30}")
        assert huge.status_code == 404, huge.text
        assert huge.json()["message"] == f"Job {10**30} does not exist."


@pytest.mark.parametrize("job_id", ["abc", "-1", "1.5"])
def test_a_non_numeric_job_id_is_refused(api: httpx.Client, job_id: str) -> None:
    response = api.get(f"{PERMISSIONS}/{job_id}")
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "job_id" in response.json()["message"]


def test_a_bad_entry_is_refused_by_its_path_and_changes_nothing(server: RunningServer) -> None:
    job_id = str(_create_job(server))
    w = _sdk(server)
    with pytest.raises(InvalidParameterValue, match=r"access_control_list\[1\]\.permission_level"):
        w.jobs.update_permissions(
            job_id,
            access_control_list=[
                JobAccessControlRequest(
                    user_name="bob", permission_level=JobPermissionLevel.CAN_VIEW
                ),
                JobAccessControlRequest(
                    group_name="users", permission_level=JobPermissionLevel.IS_OWNER
                ),
            ],
        )
    assert _direct(w.jobs.get_permissions(job_id).as_dict()) == {("user_name", "admin", "IS_OWNER")}
    with server.client() as api:
        response = api.patch(f"{PERMISSIONS}/{job_id}", json={"access_control_list": "bob"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("access_control_list must be a list")


def test_permissions_are_served_under_2_0_only(api: httpx.Client, server: RunningServer) -> None:
    job_id = _create_job(server)
    assert api.get(f"/api/2.2/permissions/jobs/{job_id}").status_code == 404
    assert api.get(f"{PERMISSIONS}/{job_id}").status_code == 200
