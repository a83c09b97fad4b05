"""The jobs routes, checked by the shapes clients read: create, get (2.2 paging), list
(filters, pages, expand_tasks), update, reset, delete, run-now (overrides, idempotency, only,
queue)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from support.api_server import RunningServer, python_job, wait_for_run

JOBS = "/api/2.2/jobs"


def _create(api: httpx.Client, settings: dict[str, Any], version: str = "2.2") -> int:
    response = api.post(f"/api/{version}/jobs/create", json=settings)
    assert response.status_code == 200, response.text
    job_id: int = response.json()["job_id"]
    return job_id


def _many_tasks(count: int) -> list[dict[str, Any]]:
    return [
        {"task_key": f"t{i:03d}", "spark_python_task": {"python_file": "/noop.py"}}
        for i in range(count)
    ]


def test_create_then_get_returns_the_settings_with_owner_and_defaults(api: httpx.Client) -> None:
    job_id = _create(api, {"name": "nightly", "tasks": _many_tasks(1), "x_custom": {"a": 1}})
    body = api.get(f"{JOBS}/get", params={"job_id": job_id}).json()
    assert body["job_id"] == job_id
    assert body["creator_user_name"] == "admin" and body["run_as_user_name"] == "admin"
    assert isinstance(body["created_time"], int)
    settings = body["settings"]
    assert settings["name"] == "nightly"
    assert settings["x_custom"] == {"a": 1}, "unknown fields are kept"
    assert settings["format"] == "MULTI_TASK"
    assert settings["queue"] == {"enabled": True}, "2.2 queues by default"
    assert "next_page_token" not in body


def test_queueing_is_off_by_default_on_2_1_and_an_unnamed_job_is_untitled(
    api: httpx.Client,
) -> None:
    job_id = _create(api, {"tasks": _many_tasks(1)}, version="2.1")
    settings = api.get("/api/2.1/jobs/get", params={"job_id": job_id}).json()["settings"]
    assert "queue" not in settings
    assert settings["name"] == "Untitled"


def test_invalid_settings_are_refused_naming_every_problem(api: httpx.Client) -> None:
    response = api.post(
        f"{JOBS}/create",
        json={
            "name": "bad",
            "tasks": [
                {"task_key": "a", "depends_on": [{"task_key": "ghost"}], "notebook_task": {}},
            ],
            "max_concurrent_runs": "many",
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "tasks[0].depends_on[0]" in body["message"]
    assert "max_concurrent_runs" in body["message"]
    assert api.get(f"{JOBS}/list").json() == {"has_more": False}, "nothing half-written"


def test_get_pages_long_arrays_at_100_on_2_2_only(api: httpx.Client) -> None:
    job_id = _create(api, {"name": "wide", "tasks": _many_tasks(230)})
    keys: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"job_id": job_id}
        if token:
            params["page_token"] = token
        body = api.get(f"{JOBS}/get", params=params).json()
        pages += 1
        assert body["settings"]["name"] == "wide"
        keys += [t["task_key"] for t in body["settings"]["tasks"]]
        token = body.get("next_page_token")
        if token is None:
            break
        assert token, "never an empty token"
    assert pages == 3
    assert keys == [f"t{i:03d}" for i in range(230)]
    full = api.get("/api/2.1/jobs/get", params={"job_id": job_id}).json()
    assert len(full["settings"]["tasks"]) == 230 and "next_page_token" not in full


def test_list_filters_by_name_pages_with_tokens_and_offsets(api: httpx.Client) -> None:
    ids = [_create(api, {"name": f"job-{i}", "tasks": _many_tasks(1)}) for i in range(5)]
    _create(api, {"name": "Special", "tasks": _many_tasks(1)})
    named = api.get(f"{JOBS}/list", params={"name": "special"}).json()
    assert [j["settings"]["name"] for j in named["jobs"]] == ["Special"]
    first = api.get(f"{JOBS}/list", params={"limit": 2}).json()
    assert [j["job_id"] for j in first["jobs"]] == ids[:2]
    assert first["has_more"] is True and "prev_page_token" not in first
    assert "tasks" not in first["jobs"][0]["settings"], "tasks only with expand_tasks"
    second = api.get(
        f"{JOBS}/list", params={"limit": 2, "page_token": first["next_page_token"]}
    ).json()
    assert [j["job_id"] for j in second["jobs"]] == ids[2:4]
    assert "prev_page_token" in second
    by_offset = api.get("/api/2.1/jobs/list", params={"limit": 2, "offset": 4}).json()
    assert [j["job_id"] for j in by_offset["jobs"]] == [ids[4], ids[4] + 1]
    assert by_offset["has_more"] is False and "next_page_token" not in by_offset
    expanded = api.get(f"{JOBS}/list", params={"limit": 1, "expand_tasks": "true"}).json()
    assert expanded["jobs"][0]["settings"]["tasks"][0]["task_key"] == "t000"
    everything = api.get("/api/2.0/jobs/list").json()
    assert len(everything["jobs"]) == 6 and everything["has_more"] is False


@pytest.mark.parametrize("limit", ["101", "-1", "abc"])
def test_list_refuses_bad_limits(api: httpx.Client, limit: str) -> None:
    response = api.get(f"{JOBS}/list", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "limit" in response.json()["message"]


def test_expand_tasks_on_2_2_truncates_at_100_and_marks_the_job(api: httpx.Client) -> None:
    _create(api, {"name": "wide", "tasks": _many_tasks(120)})
    job = api.get(f"{JOBS}/list", params={"expand_tasks": True}).json()["jobs"][0]
    assert len(job["settings"]["tasks"]) == 100 and job["has_more"] is True


def test_update_merges_tasks_by_key_and_removes_fields(api: httpx.Client) -> None:
    job_id = _create(
        api,
        {
            "name": "j",
            "tasks": _many_tasks(2),
            "schedule": {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "UTC"},
        },
    )
    response = api.post(
        f"{JOBS}/update",
        json={
            "job_id": str(job_id),
            "new_settings": {
                "tasks": [{"task_key": "t001", "spark_python_task": {"python_file": "/x.py"}}],
                "tags": {"k": "v"},
            },
            "fields_to_remove": ["schedule", "tasks/t000"],
        },
    )
    assert response.status_code == 200 and response.json() == {}
    settings = api.get(f"{JOBS}/get", params={"job_id": job_id}).json()["settings"]
    assert [t["task_key"] for t in settings["tasks"]] == ["t001"]
    assert settings["tasks"][0]["spark_python_task"]["python_file"] == "/x.py"
    assert settings["tags"] == {"k": "v"} and "schedule" not in settings


def test_an_update_that_breaks_the_job_is_refused_and_changes_nothing(api: httpx.Client) -> None:
    job_id = _create(api, {"name": "j", "tasks": _many_tasks(2)})
    response = api.post(
        f"{JOBS}/update",
        json={
            "job_id": job_id,
            "new_settings": {
                "tasks": [
                    {
                        "task_key": "t001",
                        "depends_on": [{"task_key": "nope"}],
                        "spark_python_task": {"python_file": "/x.py"},
                    }
                ]
            },
        },
    )
    assert response.status_code == 400
    assert "new_settings.tasks[1].depends_on[0]" in response.json()["message"]
    tasks = api.get(f"{JOBS}/get", params={"job_id": job_id}).json()["settings"]["tasks"]
    assert tasks == _many_tasks(2)


def test_reset_replaces_everything_and_delete_removes_the_job(api: httpx.Client) -> None:
    job_id = _create(api, {"name": "old", "tasks": _many_tasks(3), "tags": {"a": "b"}})
    new = {"name": "new", "tasks": _many_tasks(1)}
    assert api.post(f"{JOBS}/reset", json={"job_id": job_id, "new_settings": new}).json() == {}
    settings = api.get(f"{JOBS}/get", params={"job_id": job_id}).json()["settings"]
    assert settings["name"] == "new" and len(settings["tasks"]) == 1 and "tags" not in settings
    missing = api.post(f"{JOBS}/reset", json={"job_id": job_id})
    assert missing.status_code == 400 and "new_settings" in missing.json()["message"]
    assert api.post(f"{JOBS}/delete", json={"job_id": job_id}).json() == {}
    gone = api.get(f"{JOBS}/get", params={"job_id": job_id})
    assert gone.status_code == 400
    assert gone.json() == {
        "error_code": "INVALID_PARAMETER_VALUE",
        "message": f"Job {job_id} does not exist.",
    }
    again = api.post(f"{JOBS}/delete", json={"job_id": job_id})
    assert again.json()["message"] == f"Job {job_id} does not exist."


def test_run_now_runs_with_job_parameters_and_is_idempotent(
    server: RunningServer, api: httpx.Client
) -> None:
    script = server.write_file(
        "/params.py",
        """
        import sys
        print("ARGS", sys.argv[1:])
        """,
    )
    job = python_job(
        "p", script, parameters=[{"name": "day", "default": "monday"}], max_concurrent_runs=5
    )
    job["tasks"][0]["spark_python_task"]["parameters"] = ["{{job.parameters.day}}"]
    job_id = _create(api, job)
    body = {"job_id": job_id, "job_parameters": {"day": "friday"}, "idempotency_token": "tok-1"}
    first = api.post(f"{JOBS}/run-now", json=body).json()
    second = api.post(f"{JOBS}/run-now", json=body).json()
    assert first == second and first["number_in_job"] == first["run_id"]
    run = wait_for_run(api, first["run_id"])
    assert run["state"]["result_state"] == "SUCCESS"
    assert run["job_parameters"] == [{"name": "day", "default": "monday", "value": "friday"}]
    task_run_id = run["tasks"][0]["run_id"]
    output = api.get(f"{JOBS}/runs/get-output", params={"run_id": task_run_id}).json()
    assert "ARGS ['friday']" in output["logs"]
    too_long = api.post(f"{JOBS}/run-now", json={"job_id": job_id, "idempotency_token": "x" * 65})
    assert too_long.status_code == 400 and "idempotency_token" in too_long.json()["message"]


def test_run_now_only_runs_the_chosen_tasks(server: RunningServer, api: httpx.Client) -> None:
    server.write_file("/noop.py", "pass\n")
    tasks = _many_tasks(3)
    tasks[1]["depends_on"] = [{"task_key": "t000"}]
    job_id = _create(api, {"name": "only", "tasks": tasks})
    run_id = api.post(f"{JOBS}/run-now", json={"job_id": job_id, "only": ["t001"]}).json()["run_id"]
    run = wait_for_run(api, run_id)
    assert [t["task_key"] for t in run["tasks"]] == ["t001"]
    unknown = api.post(f"{JOBS}/run-now", json={"job_id": job_id, "only": ["zzz"]})
    assert unknown.status_code == 400 and "zzz" in unknown.json()["message"]


def test_run_now_over_the_limit_queues_or_skips(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/sleep.py", "import time\ntime.sleep(30)\n")
    job_id = _create(api, python_job("limited", script))
    running = api.post(f"{JOBS}/run-now", json={"job_id": job_id}).json()["run_id"]
    queued = api.post(f"{JOBS}/run-now", json={"job_id": job_id}).json()["run_id"]
    skipped = api.post(
        f"{JOBS}/run-now", json={"job_id": job_id, "queue": {"enabled": False}}
    ).json()["run_id"]
    state = api.get(f"{JOBS}/runs/get", params={"run_id": queued}).json()["state"]
    assert state["life_cycle_state"] == "QUEUED"
    skipped_run = wait_for_run(api, skipped)
    assert skipped_run["state"]["life_cycle_state"] == "SKIPPED"
    assert skipped_run["state"]["result_state"] == "MAXIMUM_CONCURRENT_RUNS_REACHED"
    api.post(f"{JOBS}/runs/cancel-all", json={"job_id": job_id})
    for run_id in (running, queued):
        assert wait_for_run(api, run_id)["state"]["result_state"] == "CANCELED"


def test_run_now_of_an_unknown_job_is_the_sdk_not_found(api: httpx.Client) -> None:
    response = api.post(f"{JOBS}/run-now", json={"job_id": 4242})
    assert response.status_code == 400
    assert response.json()["message"] == "Job 4242 does not exist."
