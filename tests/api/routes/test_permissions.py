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
from brickyard.states import LifeCycleState, ResultState, RunType, TriggerType
from support.api_server import RunningServer, wait_for_run

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


def _skipped_run(
    server: RunningServer, job_id: int | None, creator: str | None, start_time: int
) -> int:
    """A finished run stored directly (the engine leaves a terminal run alone)."""
    with server.services.database.transaction() as conn:
        run = storage.create_run(
            conn,
            storage.NewRun(
                job_id=job_id,
                run_name="listed",
                run_type=RunType.JOB_RUN if job_id is not None else RunType.SUBMIT_RUN,
                trigger=TriggerType.ONE_TIME,
                settings={"name": "listed", "tasks": []},
                created_time=start_time,
                life_cycle_state=LifeCycleState.SKIPPED,
                result_state=ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED,
                creator_user_name=creator,
            ),
        )
    return run.run_id


def _pages(client: httpx.Client, path: str, params: dict[str, Any], key: str) -> list[list[int]]:
    """Every page of a listing, followed by its next_page_token, as lists of ids."""
    pages: list[list[int]] = []
    while True:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append([entry[f"{key}_id"] for entry in page.get(f"{key}s", [])])
        if not page["has_more"]:
            assert "next_page_token" not in page
            return pages
        params = {**params, "page_token": page["next_page_token"]}


def test_a_non_admins_run_pages_are_full_and_hold_only_what_it_may_see(
    server: RunningServer,
) -> None:
    bob_token = _token(server, "bob")
    viewed = _create_job(
        server, access_control_list=[{"user_name": "bob", "permission_level": "CAN_VIEW"}]
    )
    shared = _create_job(
        server,
        access_control_list=[{"group_name": "users", "permission_level": "CAN_MANAGE_RUN"}],
    )
    hidden = _create_job(server)
    expected: list[int] = []
    start = 1_763_700_000_000
    for _ in range(6):
        for job_id, creator, visible in [
            (hidden, "admin", False),
            (viewed, "admin", True),
            (hidden, "bob", False),
            (None, "bob", True),
            (shared, None, True),
            (None, "carol", False),
        ]:
            start += 1000
            run_id = _skipped_run(server, job_id, creator, start)
            if visible:
                expected.append(run_id)
    newest_first = expected[::-1]
    with server.client(bob_token) as bob:
        pages = _pages(bob, "/api/2.2/jobs/runs/list", {"limit": 5}, "run")
        assert [len(page) for page in pages] == [5, 5, 5, 3]
        assert [i for page in pages for i in page] == newest_first
        by_offset = bob.get("/api/2.1/jobs/runs/list", params={"limit": 7, "offset": 7}).json()
        assert [r["run_id"] for r in by_offset["runs"]] == newest_first[7:14]
        assert by_offset["has_more"] is True
        last = bob.get("/api/2.1/jobs/runs/list", params={"limit": 7, "offset": 14}).json()
        assert [r["run_id"] for r in last["runs"]] == newest_first[14:]
        assert last["has_more"] is False
        of_job = bob.get("/api/2.2/jobs/runs/list", params={"job_id": viewed}).json()
        assert [r["run_id"] for r in of_job["runs"]] == newest_first[2::3]
        none = bob.get("/api/2.2/jobs/runs/list", params={"job_id": hidden}).json()
        assert none == {"has_more": False}
    with server.client() as admin:
        everything = _pages(admin, "/api/2.2/jobs/runs/list", {"limit": 25}, "run")
    assert [len(page) for page in everything] == [25, 11]


def test_a_non_admins_job_pages_are_full_and_hold_only_what_it_may_see(
    server: RunningServer,
) -> None:
    bob_token = _token(server, "bob")
    expected: list[int] = []
    for number in range(12):
        grant = [
            [{"user_name": "bob", "permission_level": "CAN_VIEW"}],
            [],
            [{"group_name": "users", "permission_level": "CAN_VIEW"}],
            [{"group_name": "others", "permission_level": "CAN_MANAGE"}],
        ][number % 4]
        job_id = _create_job(server, access_control_list=grant)
        if number % 4 in (0, 2):
            expected.append(job_id)
    with server.client(bob_token) as bob:
        pages = _pages(bob, "/api/2.2/jobs/list", {"limit": 4}, "job")
        assert [len(page) for page in pages] == [4, 2]
        assert [i for page in pages for i in page] == expected
        legacy = bob.get("/api/2.0/jobs/list").json()
        assert [j["job_id"] for j in legacy["jobs"]] == expected
        assert legacy["has_more"] is False
        named = bob.get("/api/2.2/jobs/list", params={"name": "GUARDED", "offset": 5}).json()
        assert [j["job_id"] for j in named["jobs"]] == expected[5:]


def test_cancel_all_queued_cancels_only_the_runs_the_caller_may_manage(
    server: RunningServer,
) -> None:
    script = server.write_file("/sleep.py", "import time\ntime.sleep(60)\n")
    tasks = [{"task_key": "main", "spark_python_task": {"python_file": script}}]
    managed = _create_job(
        server,
        tasks=tasks,
        max_concurrent_runs=1,
        access_control_list=[{"user_name": "bob", "permission_level": "CAN_MANAGE_RUN"}],
    )
    viewed = _create_job(
        server,
        tasks=tasks,
        max_concurrent_runs=1,
        access_control_list=[{"user_name": "bob", "permission_level": "CAN_VIEW"}],
    )
    with server.client() as admin:
        runs = {
            (job_id, kind): admin.post("/api/2.2/jobs/run-now", json={"job_id": job_id}).json()[
                "run_id"
            ]
            for job_id in (managed, viewed)
            for kind in ("running", "queued")
        }
        with server.client(_token(server, "bob")) as bob:
            answer = bob.post("/api/2.2/jobs/runs/cancel-all", json={"all_queued_runs": True})
        assert answer.status_code == 200, answer.text
        cancelled = wait_for_run(admin, runs[(managed, "queued")])
        assert cancelled["state"]["result_state"] == "CANCELED"

        def state(key: tuple[int, str]) -> str:
            body = admin.get("/api/2.2/jobs/runs/get", params={"run_id": runs[key]}).json()
            return str(body["state"]["life_cycle_state"])

        assert state((viewed, "queued")) == "QUEUED"
        assert state((managed, "running")) in ("PENDING", "RUNNING")
        for job_id in (managed, viewed):
            admin.post("/api/2.2/jobs/runs/cancel-all", json={"job_id": job_id})
        for run_id in runs.values():
            wait_for_run(admin, run_id)
