"""The request and response shapes no client library test covers, sent with plain httpx as
Airflow, Azure Data Factory and the legacy CLI send them (jobs-api.md §1.2, §2, §9.2, §9.3,
§10): numbers as strings, ``True``/``False`` query booleans, odd content types, the legacy
single-task shape on every version, paging, unknown fields, and the error bodies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api_server import RunningServer, python_job, wait_for_run

LIFE_CYCLE_STATES = {
    "QUEUED",
    "PENDING",
    "RUNNING",
    "TERMINATING",
    "TERMINATED",
    "SKIPPED",
    "INTERNAL_ERROR",
    "BLOCKED",
    "WAITING_FOR_RETRY",
}

NOTEBOOK = """\
# Databricks notebook source
import shape_lib

# COMMAND ----------

dbutils.notebook.exit(f"{shape_lib.VALUE}:{dbutils.widgets.get('who')}")
"""


def _ok(response: httpx.Response) -> dict[str, Any]:
    """The JSON object body of a 2xx answer (every 2xx answer is one)."""
    assert 200 <= response.status_code < 300, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, dict)
    return body


def _error(response: httpx.Response, status: int, code: str) -> str:
    """The message of an error answer with this status and ``error_code``."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert body["error_code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    message: str = body["message"]
    return message


def _create(api: httpx.Client, settings: dict[str, Any], version: str = "2.2") -> int:
    job_id: int = _ok(api.post(f"/api/{version}/jobs/create", json=settings))["job_id"]
    return job_id


def _run_now(api: httpx.Client, job_id: int | str, version: str = "2.2") -> int:
    body = _ok(api.post(f"/api/{version}/jobs/run-now", json={"job_id": job_id}))
    assert body["number_in_job"] == body["run_id"]
    run_id: int = body["run_id"]
    return run_id


# --- Airflow: numbers as strings, Python booleans, empty page tokens --------------------------


def test_airflow_numbers_as_strings_are_stored_as_numbers(
    server: RunningServer, api: httpx.Client
) -> None:
    script = server.write_file("/scripts/ok.py", "print('ok')\n")
    settings = {
        "name": "airflow",
        "timeout_seconds": "3600",
        "max_concurrent_runs": "2",
        "tasks": [
            {
                "task_key": "main",
                "spark_python_task": {"python_file": script},
                "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": "2"},
                "timeout_seconds": "600",
                "max_retries": "0",
            }
        ],
    }
    job_id = _create(api, settings)
    job = _ok(api.get("/api/2.2/jobs/get", params={"job_id": str(job_id)}))
    assert job["settings"]["timeout_seconds"] == 3600
    assert job["settings"]["max_concurrent_runs"] == 2
    task = job["settings"]["tasks"][0]
    assert task["new_cluster"]["num_workers"] == 2
    assert task["timeout_seconds"] == 600
    assert task["max_retries"] == 0

    run_id = _run_now(api, str(job_id))  # {"job_id": "12"}
    run = wait_for_run(api, run_id)
    assert run["state"]["result_state"] == "SUCCESS"
    assert run["job_id"] == job_id


def test_python_style_query_booleans(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/scripts/ok.py", "print('ok')\n")
    job_id = _create(api, python_job("bools", script))
    run_id = _run_now(api, job_id)
    wait_for_run(api, run_id)

    listed = _ok(api.get("/api/2.2/jobs/list", params={"expand_tasks": "True"}))
    assert listed["jobs"][0]["settings"]["tasks"][0]["task_key"] == "main"
    listed = _ok(api.get("/api/2.2/jobs/list", params={"expand_tasks": "False"}))
    assert "tasks" not in listed["jobs"][0]["settings"]

    runs = _ok(
        api.get(
            "/api/2.2/jobs/runs/list",
            params={"job_id": job_id, "active_only": "False", "completed_only": "True"},
        )
    )
    assert [r["run_id"] for r in runs["runs"]] == [run_id]
    active = _ok(api.get("/api/2.2/jobs/runs/list", params={"active_only": "True"}))
    assert "runs" not in active

    run = _ok(
        api.get(
            "/api/2.2/jobs/runs/get",
            params={
                "run_id": run_id,
                "include_history": "True",
                "include_resolved_values": "False",
            },
        )
    )
    assert run["repair_history"][0]["type"] == "ORIGINAL"


def test_airflow_first_jobs_list_call(api: httpx.Client) -> None:
    job_id = _create(api, {"name": "Nightly Load"})
    _create(api, {"name": "other"})
    # Airflow's find_job_id_by_name: empty page_token, Python booleans, include_user_names
    body = _ok(
        api.get(
            "/api/2.2/jobs/list",
            params={
                "limit": "25",
                "expand_tasks": "False",
                "include_user_names": "False",
                "page_token": "",
                "name": "Nightly Load",
            },
        )
    )
    assert [j["job_id"] for j in body["jobs"]] == [job_id]
    assert not body.get("next_page_token")

    everything = _ok(api.get("/api/2.2/jobs/list", params={"page_token": ""}))
    assert len(everything["jobs"]) == 2
    assert everything["has_more"] is False


def test_jobs_list_name_is_exact_and_case_insensitive(api: httpx.Client) -> None:
    wanted = _create(api, {"name": "Nightly ETL"})
    _create(api, {"name": "Nightly ETL v2"})
    _create(api, {"name": "Nightly"})
    for version in ("2.1", "2.2"):
        for name in ("Nightly ETL", "NIGHTLY etl"):
            body = _ok(api.get(f"/api/{version}/jobs/list", params={"name": name}))
            assert [j["job_id"] for j in body["jobs"]] == [wanted], (version, name)
        none = _ok(api.get(f"/api/{version}/jobs/list", params={"name": "Nightly E"}))
        assert "jobs" not in none
        assert none["has_more"] is False


# --- the legacy CLI's and other clients' content types ----------------------------------------


def test_text_json_content_type(api: httpx.Client) -> None:
    headers = {"Content-Type": "text/json"}
    created = _ok(api.post("/api/2.0/jobs/create", content=b'{"name": "cli"}', headers=headers))
    job_id = created["job_id"]
    # the CLI sends the header on GETs too, and ids as strings
    job = _ok(api.get("/api/2.0/jobs/get", params={"job_id": str(job_id)}, headers=headers))
    assert job["settings"]["name"] == "cli"
    deleted = api.post(
        "/api/2.0/jobs/delete", content=f'{{"job_id": "{job_id}"}}'.encode(), headers=headers
    )
    assert _ok(deleted) == {}


def test_no_content_type(server: RunningServer) -> None:
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}
    ) as client:
        request = client.build_request("POST", "/api/2.1/jobs/create", content=b'{"name": "raw"}')
        request.headers.pop("Content-Type", None)
        assert "content-type" not in request.headers
        job_id = _ok(client.send(request))["job_id"]
        # and an empty body with no content type is an empty object: job_id is missing
        request = client.build_request("POST", "/api/2.1/jobs/delete", content=b"")
        request.headers.pop("Content-Type", None)
        message = _error(client.send(request), 400, "INVALID_PARAMETER_VALUE")
        assert "job_id" in message
        assert _ok(client.get("/api/2.1/jobs/get", params={"job_id": job_id}))["job_id"] == job_id


# --- the legacy single-task shape (ADF, Airflow, the 2.0 CLI) ---------------------------------


def test_legacy_single_task_submit_runs_a_notebook_on_every_version(
    server: RunningServer, api: httpx.Client, wheel_builder: Callable[..., Path]
) -> None:
    server.write_file("/Shared/adf/notebook.py", NOTEBOOK)
    wheel_builder(server.home / "dbfs" / "libs", "shape_lib", module_source="VALUE = 'wheel'\n")
    library = {"whl": "dbfs:/libs/shape_lib-0.1.0-py3-none-any.whl"}
    compute: dict[str, dict[str, Any]] = {
        "2.2": {"new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": "2"}},
        "2.1": {"existing_cluster_id": "0101-120000-abcdefgh"},
        "2.0": {"new_cluster": {"spark_version": "13.3.x-scala2.12", "num_workers": 1}},
    }
    for version, cluster in compute.items():
        body = {
            "run_name": f"adf {version}",
            "timeout_seconds": "3600",
            **cluster,
            "libraries": [library],
            "notebook_task": {
                "notebook_path": "/Shared/adf/notebook",
                "base_parameters": {"who": f"v{version}"},
            },
        }
        run_id = _ok(api.post(f"/api/{version}/jobs/runs/submit", json=body))["run_id"]
        wait_for_run(api, run_id)
        run = _ok(api.get(f"/api/{version}/jobs/runs/get", params={"run_id": run_id}))
        assert run["state"]["life_cycle_state"] == "TERMINATED"
        assert run["state"]["result_state"] == "SUCCESS", run["state"]
        assert run["run_type"] == "SUBMIT_RUN"
        assert run["run_name"] == f"adf {version}"
        assert len(run["tasks"]) == 1
        output = _ok(api.get(f"/api/{version}/jobs/runs/get-output", params={"run_id": run_id}))
        assert output["notebook_output"]["result"] == f"wheel:v{version}"
        if version == "2.0":
            assert run["task"] == {"notebook_task": body["notebook_task"]}
            spec = run["cluster_spec"]
            assert spec["libraries"] == [library]
            assert ("new_cluster" in spec) != ("existing_cluster_id" in spec)
        else:
            assert "task" not in run
            assert "cluster_spec" not in run
            task = run["tasks"][0]
            assert task["notebook_task"]["notebook_path"] == "/Shared/adf/notebook"
            assert task["libraries"] == [library]
            for key, value in cluster.items():
                assert key in task
                if key == "existing_cluster_id":
                    assert task[key] == value


def test_2_0_single_task_job_round_trip(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/scripts/single.py", "import sys; print(sys.argv[1:])\n")
    settings = {
        "name": "legacy single",
        "existing_cluster_id": "0101-120000-abcdefgh",
        "libraries": [{"pypi": {"package": "six"}}],
        "spark_python_task": {"python_file": script, "parameters": ["a", "b"]},
        "max_retries": 1,
        "timeout_seconds": 120,
    }
    job_id = _create(api, settings, version="2.0")

    flat = _ok(api.get("/api/2.0/jobs/get", params={"job_id": job_id}))["settings"]
    assert "tasks" not in flat
    assert flat["name"] == "legacy single"
    for key in ("existing_cluster_id", "libraries", "spark_python_task", "max_retries"):
        assert flat[key] == settings[key], key
    assert flat["timeout_seconds"] == 120

    for version in ("2.1", "2.2"):
        nested = _ok(api.get(f"/api/{version}/jobs/get", params={"job_id": job_id}))["settings"]
        assert nested["format"] == "MULTI_TASK"
        assert "spark_python_task" not in nested
        [task] = nested["tasks"]
        assert task["task_key"]
        for key in ("existing_cluster_id", "libraries", "spark_python_task", "max_retries"):
            assert task[key] == settings[key], (version, key)

    listed = _ok(api.get("/api/2.0/jobs/list"))["jobs"]
    assert listed[0]["settings"]["name"] == "legacy single"


# --- runs/get as Airflow reads it -------------------------------------------------------------


def test_runs_get_shape_as_airflow_reads_it(server: RunningServer, api: httpx.Client) -> None:
    ok = server.write_file("/scripts/ok.py", "print('fine')\n")
    bad = server.write_file("/scripts/bad.py", "raise RuntimeError('broken on purpose')\n")
    settings = {
        "name": "airflow shape",
        "tasks": [
            {"task_key": "extract", "spark_python_task": {"python_file": ok}},
            {
                "task_key": "load",
                "depends_on": [{"task_key": "extract"}],
                "spark_python_task": {"python_file": bad},
            },
        ],
    }
    job_id = _create(api, settings)
    run_id = _run_now(api, str(job_id))
    wait_for_run(api, run_id)
    run = _ok(api.get("/api/2.2/jobs/runs/get", params={"run_id": run_id}))

    assert isinstance(run["run_page_url"], str) and run["run_page_url"].startswith("http")
    assert run["job_id"] == job_id
    assert run["state"]["life_cycle_state"] in LIFE_CYCLE_STATES
    assert run["state"]["life_cycle_state"] == "TERMINATED"
    assert run["state"]["result_state"] == "FAILED"
    assert isinstance(run["state"]["state_message"], str)
    assert "next_page_token" not in run
    by_key = {task["task_key"]: task for task in run["tasks"]}
    assert set(by_key) == {"extract", "load"}
    for task in run["tasks"]:
        assert isinstance(task["run_id"], int) and task["run_id"] != run_id
        assert task["attempt_number"] == 0
        assert isinstance(task["start_time"], int)
    assert by_key["extract"]["state"]["result_state"] == "SUCCESS"
    assert by_key["load"]["state"]["result_state"] == "FAILED"

    # Airflow asks each failed task run for its error
    output = _ok(
        api.get("/api/2.2/jobs/runs/get-output", params={"run_id": by_key["load"]["run_id"]})
    )
    assert "broken on purpose" in output["error"]
    assert output["metadata"]["task_key"] == "load"
    fine = _ok(
        api.get("/api/2.2/jobs/runs/get-output", params={"run_id": by_key["extract"]["run_id"]})
    )
    assert "fine" in fine["logs"]
    assert "error" not in fine

    # ...and the run's repair history, which always starts with the ORIGINAL item
    history = _ok(
        api.get("/api/2.2/jobs/runs/get", params={"run_id": run_id, "include_history": "true"})
    )["repair_history"]
    assert len(history) == 1
    assert history[0]["type"] == "ORIGINAL"
    assert "id" not in history[0]
    assert sorted(history[0]["task_run_ids"]) == sorted(t["run_id"] for t in run["tasks"])


def test_include_history_has_original_first_after_a_repair(
    server: RunningServer, api: httpx.Client
) -> None:
    flag = server.home / "flag"
    script = server.write_file(
        "/scripts/flaky.py",
        f"import pathlib, sys\nsys.exit(0 if pathlib.Path({str(flag)!r}).exists() else 3)\n",
    )
    job_id = _create(api, python_job("flaky", script))
    run_id = _run_now(api, job_id)
    assert wait_for_run(api, run_id)["state"]["result_state"] == "FAILED"
    flag.write_text("ok")
    history = _ok(
        api.get("/api/2.2/jobs/runs/get", params={"run_id": run_id, "include_history": "true"})
    )["repair_history"]
    assert [item["type"] for item in history] == ["ORIGINAL"]

    # Airflow: one history item → no latest_repair_id; numbers as strings
    repair = _ok(
        api.post(
            "/api/2.2/jobs/runs/repair",
            json={"run_id": str(run_id), "rerun_all_failed_tasks": True},
        )
    )
    assert isinstance(repair["repair_id"], int)
    run = wait_for_run(api, run_id)
    assert run["state"]["result_state"] == "SUCCESS"
    history = _ok(
        api.get("/api/2.2/jobs/runs/get", params={"run_id": run_id, "include_history": "True"})
    )["repair_history"]
    assert [item["type"] for item in history] == ["ORIGINAL", "REPAIR"]
    assert history[-1]["id"] == repair["repair_id"]


# --- 2.2 paging of jobs/get -------------------------------------------------------------------


def test_2_2_jobs_get_pages_a_250_task_job(api: httpx.Client) -> None:
    tasks = [
        {"task_key": f"t{i:03d}", "notebook_task": {"notebook_path": f"/nb/{i}"}}
        for i in range(250)
    ]
    job_id = _create(api, {"name": "wide", "tasks": tasks})

    keys: list[str] = []
    sizes: list[int] = []
    token: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"job_id": job_id}
        if token:
            params["page_token"] = token
        page = _ok(api.get("/api/2.2/jobs/get", params=params))
        assert page["job_id"] == job_id
        assert page["settings"]["name"] == "wide"  # every page has settings
        page_tasks = page["settings"].get("tasks", [])
        sizes.append(len(page_tasks))
        keys += [t["task_key"] for t in page_tasks]
        token = page.get("next_page_token")
        if token is None:
            assert "next_page_token" not in page  # absent, never ""
            break
        assert isinstance(token, str) and token
    assert sizes == [100, 100, 50]
    assert keys == [t["task_key"] for t in tasks]

    for version in ("2.0", "2.1"):
        whole = _ok(api.get(f"/api/{version}/jobs/get", params={"job_id": job_id}))
        assert len(whole["settings"]["tasks"]) == 250
        assert "next_page_token" not in whole


# --- unknown fields ---------------------------------------------------------------------------


def test_unknown_fields_are_kept(api: httpx.Client) -> None:
    settings = {
        "name": "extras",
        "x_brand_new_field": {"nested": [1, 2]},
        "tasks": [
            {
                "task_key": "a",
                "notebook_task": {"notebook_path": "/nb", "x_inner": "kept"},
                "x_task_extra": "v",
            }
        ],
    }
    job_id = _create(api, settings)
    for version in ("2.1", "2.2"):
        got = _ok(api.get(f"/api/{version}/jobs/get", params={"job_id": job_id}))["settings"]
        assert got["x_brand_new_field"] == {"nested": [1, 2]}
        task = got["tasks"][0]
        assert task["x_task_extra"] == "v"
        assert task["notebook_task"]["x_inner"] == "kept"

    # an unknown field in an update is merged in like any other
    _ok(api.post("/api/2.2/jobs/update", json={"job_id": job_id, "new_settings": {"x_more": 1}}))
    got = _ok(api.get("/api/2.2/jobs/get", params={"job_id": job_id}))["settings"]
    assert got["x_more"] == 1
    assert got["x_brand_new_field"] == {"nested": [1, 2]}


# --- every 2xx is a JSON object ---------------------------------------------------------------


def test_every_success_answer_is_a_json_object(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/scripts/ok.py", "print('ok')\n")
    job_id = _create(api, python_job("objects", script))
    for version in ("2.0", "2.1", "2.2"):
        assert _ok(api.get(f"/api/{version}/jobs/list"))
        assert _ok(api.get(f"/api/{version}/jobs/get", params={"job_id": job_id}))
        assert "has_more" in _ok(api.get(f"/api/{version}/jobs/runs/list"))
    new = python_job("objects", script, timeout_seconds=60)
    assert _ok(api.post("/api/2.2/jobs/reset", json={"job_id": job_id, "new_settings": new})) == {}
    update = {"job_id": job_id, "new_settings": {"max_concurrent_runs": 3}}
    assert _ok(api.post("/api/2.2/jobs/update", json=update)) == {}
    run_id = _run_now(api, job_id)
    assert _ok(api.post("/api/2.2/jobs/runs/cancel", json={"run_id": run_id})) == {}
    assert _ok(api.post("/api/2.2/jobs/runs/cancel-all", json={"job_id": job_id})) == {}
    assert _ok(api.post("/api/2.2/jobs/runs/cancel-all", json={"all_queued_runs": True})) == {}
    wait_for_run(api, run_id)
    assert _ok(api.post("/api/2.2/jobs/runs/delete", json={"run_id": run_id})) == {}
    assert _ok(api.post("/api/2.2/jobs/delete", json={"job_id": job_id})) == {}
    assert _ok(httpx.get(f"{server.url}/.well-known/databricks-config")) == {}


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0", "2.1", "2.2"])
def test_unknown_job_and_run(api: httpx.Client, version: str) -> None:
    prefix = f"/api/{version}/jobs"
    for response in (
        api.get(f"{prefix}/get", params={"job_id": 999}),
        api.post(f"{prefix}/run-now", json={"job_id": 999}),
        api.post(f"{prefix}/delete", json={"job_id": "999"}),
        api.post(f"{prefix}/reset", json={"job_id": 999, "new_settings": {"name": "x"}}),
    ):
        message = _error(response, 400, "INVALID_PARAMETER_VALUE")
        assert message == "Job 999 does not exist."
    for response in (
        api.get(f"{prefix}/runs/get", params={"run_id": 999}),
        api.get(f"{prefix}/runs/get-output", params={"run_id": 999}),
        api.post(f"{prefix}/runs/cancel", json={"run_id": 999}),
        api.post(f"{prefix}/runs/delete", json={"run_id": "999"}),
    ):
        message = _error(response, 400, "INVALID_PARAMETER_VALUE")
        assert message == "Run 999 does not exist."


def test_unknown_endpoint(api: httpx.Client) -> None:
    message = _error(api.get("/api/2.2/jobs/nope"), 404, "ENDPOINT_NOT_FOUND")
    assert "/api/2.2/jobs/nope" in message
    _error(api.get("/api/2.2/jobs/create"), 404, "ENDPOINT_NOT_FOUND")  # wrong method
    _error(api.get("/api/2.3/jobs/list"), 404, "ENDPOINT_NOT_FOUND")  # no such version


def test_missing_and_bad_tokens(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url) as anonymous:
        _error(anonymous.get("/api/2.2/jobs/list"), 401, "UNAUTHENTICATED")
        _error(anonymous.post("/api/2.0/jobs/create", json={"name": "x"}), 401, "UNAUTHENTICATED")
    with server.client(token="dapi-not-a-real-token") as wrong:
        _error(wrong.get("/api/2.2/jobs/list"), 401, "UNAUTHENTICATED")
    with httpx.Client(
        base_url=server.url, headers={"Authorization": "Basic Zm9vOmJhcg=="}
    ) as basic:
        _error(basic.get("/api/2.1/jobs/list"), 401, "UNAUTHENTICATED")


def test_malformed_bodies(api: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    for raw in (b"{not json", b'{"name": "x",}', b"[1, 2]", b'"a string"'):
        _error(
            api.post("/api/2.2/jobs/create", content=raw, headers=headers),
            400,
            "INVALID_PARAMETER_VALUE",
        )
    message = _error(
        api.post("/api/2.2/jobs/run-now", json={"job_id": "twelve"}), 400, "INVALID_PARAMETER_VALUE"
    )
    assert "job_id" in message
    message = _error(
        api.post("/api/2.2/jobs/create", json={"name": "x", "timeout_seconds": "soon"}),
        400,
        "INVALID_PARAMETER_VALUE",
    )
    assert "timeout_seconds" in message
    _error(api.get("/api/2.2/jobs/get", params={"job_id": "x"}), 400, "INVALID_PARAMETER_VALUE")
    _error(api.get("/api/2.2/jobs/get"), 400, "INVALID_PARAMETER_VALUE")


def test_get_output_of_a_multi_task_job_run(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/scripts/ok.py", "print('ok')\n")
    settings = {
        "name": "two",
        "tasks": [
            {"task_key": "a", "spark_python_task": {"python_file": script}},
            {"task_key": "b", "spark_python_task": {"python_file": script}},
        ],
    }
    run_id = _run_now(api, _create(api, settings))
    wait_for_run(api, run_id)
    message = _error(
        api.get("/api/2.2/jobs/runs/get-output", params={"run_id": run_id}),
        400,
        "INVALID_PARAMETER_VALUE",
    )
    assert "multiple tasks" in message


def test_deleting_an_active_run_is_invalid_state(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/scripts/slow.py", "import time\ntime.sleep(60)\n")
    run_id = _run_now(api, _create(api, python_job("slow", script)))
    try:
        message = _error(
            api.post("/api/2.2/jobs/runs/delete", json={"run_id": run_id}), 400, "INVALID_STATE"
        )
        assert str(run_id) in message
        assert _ok(api.get("/api/2.2/jobs/runs/get", params={"run_id": run_id}))["run_id"] == run_id
    finally:
        api.post("/api/2.2/jobs/runs/cancel", json={"run_id": run_id})
    run = wait_for_run(api, run_id)
    assert run["state"]["result_state"] == "CANCELED"


def test_cancel_all_needs_a_job_or_all_queued_runs(api: httpx.Client) -> None:
    for body in ({}, {"all_queued_runs": False}, {"all_queued_runs": "false"}):
        message = _error(
            api.post("/api/2.2/jobs/runs/cancel-all", json=body), 400, "INVALID_PARAMETER_VALUE"
        )
        assert "job_id" in message and "all_queued_runs" in message
