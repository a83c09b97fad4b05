"""The runs routes, checked by the shapes clients read: submit, get (task runs, history,
resolved values, 2.2 paging), list (filters, order, pages), cancel, cancel-all, delete,
get-output and repair."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from support.api_server import RunningServer, python_job, wait_for_run

RUNS = "/api/2.2/jobs/runs"
NOTEBOOK = """\
# Databricks notebook source
dbutils.widgets.text("who", "nobody")
print("hello", dbutils.widgets.get("who"))

# COMMAND ----------

dbutils.notebook.exit("done for " + dbutils.widgets.get("who"))
"""


def _submit(api: httpx.Client, body: dict[str, Any]) -> int:
    response = api.post(f"{RUNS}/submit", json=body)
    assert response.status_code == 200, response.text
    run_id: int = response.json()["run_id"]
    return run_id


def _job(api: httpx.Client, settings: dict[str, Any]) -> int:
    response = api.post("/api/2.2/jobs/create", json=settings)
    assert response.status_code == 200, response.text
    job_id: int = response.json()["job_id"]
    return job_id


def _run_now(api: httpx.Client, job_id: int, **extra: Any) -> int:
    response = api.post("/api/2.2/jobs/run-now", json={"job_id": job_id, **extra})
    assert response.status_code == 200, response.text
    run_id: int = response.json()["run_id"]
    return run_id


def test_submit_runs_a_notebook_once_and_get_output_has_its_exit_value(
    server: RunningServer, api: httpx.Client
) -> None:
    server.write_file("/nb/hello.py", NOTEBOOK)
    body = {
        "run_name": "one-off",
        "idempotency_token": "submit-1",
        "tasks": [
            {
                "task_key": "hello",
                "notebook_task": {"notebook_path": "/nb/hello", "base_parameters": {"who": "ann"}},
            }
        ],
    }
    run_id = _submit(api, body)
    assert _submit(api, body) == run_id, "the same idempotency token gives the same run"
    run = wait_for_run(api, run_id)
    assert run["run_type"] == "SUBMIT_RUN" and run["run_name"] == "one-off"
    assert "job_id" not in run
    assert run["state"]["result_state"] == "SUCCESS"
    task_run_id = run["tasks"][0]["run_id"]
    output = api.get(f"{RUNS}/get-output", params={"run_id": task_run_id}).json()
    assert output["notebook_output"] == {"result": "done for ann", "truncated": False}
    assert output["metadata"]["run_id"] == task_run_id
    assert output["metadata"]["job_run_id"] == run_id
    assert output["metadata"]["state"]["result_state"] == "SUCCESS"
    same = api.get(f"{RUNS}/get-output", params={"run_id": run_id}).json()
    assert same["notebook_output"]["result"] == "done for ann", "single-task run id accepted"


def test_get_of_a_task_run_id_returns_that_task_run(
    server: RunningServer, api: httpx.Client
) -> None:
    script = server.write_file("/ok.py", "print('ok')\n")
    run = wait_for_run(api, _run_now(api, _job(api, python_job("j", script))))
    task_run_id = run["tasks"][0]["run_id"]
    body = api.get(f"{RUNS}/get", params={"run_id": task_run_id}).json()
    assert body["run_id"] == task_run_id and body["task_key"] == "main"
    assert body["job_run_id"] == run["run_id"] and body["job_id"] == run["job_id"]
    assert body["state"]["life_cycle_state"] == "TERMINATED"
    assert body["run_page_url"].startswith(server.url)


def test_failed_tasks_report_error_and_trace_and_resolved_values_on_request(
    server: RunningServer, api: httpx.Client
) -> None:
    script = server.write_file(
        "/fail.py",
        """
        import sys
        print("about to fail", sys.argv[1:])
        raise ValueError("bad input file")
        """,
    )
    job = python_job("failing", script)
    job["tasks"][0]["spark_python_task"]["parameters"] = ["{{job.id}}"]
    job_id = _job(api, job)
    run = wait_for_run(api, _run_now(api, job_id))
    assert run["state"]["result_state"] == "FAILED"
    assert run["status"]["termination_details"]["type"] == "CLIENT_ERROR"
    task_run_id = run["tasks"][0]["run_id"]
    output = api.get(f"{RUNS}/get-output", params={"run_id": task_run_id}).json()
    assert "ValueError: bad input file" in output["error"]
    assert "Traceback" in output["error_trace"]
    assert "about to fail" in output["logs"] and output["logs_truncated"] is False
    resolved = api.get(
        f"{RUNS}/get", params={"run_id": run["run_id"], "include_resolved_values": "true"}
    ).json()
    assert resolved["tasks"][0]["resolved_values"] == {
        "spark_python_task": {"parameters": [str(job_id)]}
    }
    assert "resolved_values" not in run["tasks"][0]


def test_get_output_of_a_multi_task_run_is_refused(
    server: RunningServer, api: httpx.Client
) -> None:
    script = server.write_file("/ok.py", "pass\n")
    job = python_job("two", script)
    job["tasks"].append({"task_key": "second", "spark_python_task": {"python_file": script}})
    run = wait_for_run(api, _run_now(api, _job(api, job)))
    response = api.get(f"{RUNS}/get-output", params={"run_id": run["run_id"]})
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "multiple tasks" in response.json()["message"]


def test_unknown_runs_are_reported_as_the_sdk_expects(api: httpx.Client) -> None:
    for path in ("get", "get-output", "export"):
        response = api.get(f"{RUNS}/{path}", params={"run_id": 777})
        assert response.status_code == 400
        assert response.json()["message"] == "Run 777 does not exist."
    for path in ("cancel", "delete", "repair"):
        response = api.post(f"{RUNS}/{path}", json={"run_id": 777})
        assert response.json()["message"] == "Run 777 does not exist."


def test_list_is_newest_first_with_filters_and_token_pages(
    server: RunningServer, api: httpx.Client
) -> None:
    script = server.write_file("/ok.py", "pass\n")
    job_id = _job(api, python_job("many", script, max_concurrent_runs=10))
    other = _job(api, python_job("other", script))
    run_ids = [_run_now(api, job_id) for _ in range(7)]
    other_run = _run_now(api, other)
    for run_id in [*run_ids, other_run]:
        wait_for_run(api, run_id)
    seen: list[int] = []
    params: dict[str, Any] = {"job_id": job_id, "limit": 3}
    while True:
        page = api.get(f"{RUNS}/list", params=params).json()
        seen += [r["run_id"] for r in page["runs"]]
        assert all("tasks" not in r for r in page["runs"])
        if not page["has_more"]:
            assert "next_page_token" not in page
            break
        params["page_token"] = page["next_page_token"]
    assert seen == sorted(run_ids, reverse=True)
    everything = api.get(f"{RUNS}/list", params={"limit": 25}).json()
    assert everything["runs"][0]["run_id"] == other_run
    assert api.get(f"{RUNS}/list", params={"active_only": "true"}).json() == {"has_more": False}
    completed = api.get(f"{RUNS}/list", params={"completed_only": "True", "job_id": other})
    assert [r["run_id"] for r in completed.json()["runs"]] == [other_run]
    expanded = api.get(f"{RUNS}/list", params={"job_id": other, "expand_tasks": "true"}).json()
    assert expanded["runs"][0]["tasks"][0]["task_key"] == "main"
    first = everything["runs"][-1]["start_time"]
    window = api.get(
        f"{RUNS}/list",
        params={"start_time_from": first, "start_time_to": first, "job_id": job_id},
    ).json()
    assert [r["run_id"] for r in window["runs"]] == [run_ids[0]]
    submitted = api.get(f"{RUNS}/list", params={"run_type": "SUBMIT_RUN"}).json()
    assert submitted == {"has_more": False}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"active_only": "true", "completed_only": "true"}, "active_only"),
        ({"limit": 26}, "limit"),
        ({"run_type": "NOPE"}, "run_type"),
        ({"page_token": "not-ours"}, "page_token"),
    ],
)
def test_list_refuses_bad_filters(api: httpx.Client, params: dict[str, Any], field: str) -> None:
    response = api.get(f"{RUNS}/list", params=params)
    assert response.status_code == 400 and field in response.json()["message"]


def test_cancel_delete_and_cancel_all(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/sleep.py", "import time\ntime.sleep(60)\n")
    job_id = _job(api, python_job("sleepy", script, max_concurrent_runs=1))
    running = _run_now(api, job_id)
    queued = _run_now(api, job_id)
    busy = api.post(f"{RUNS}/delete", json={"run_id": running})
    assert busy.status_code == 400 and busy.json()["error_code"] == "INVALID_STATE"
    assert api.post(f"{RUNS}/cancel-all", json={"all_queued_runs": True}).json() == {}
    assert wait_for_run(api, queued)["state"]["result_state"] == "CANCELED"
    assert api.post(f"{RUNS}/cancel", json={"run_id": str(running)}).json() == {}
    cancelled = wait_for_run(api, running)
    assert cancelled["state"]["result_state"] == "CANCELED"
    assert cancelled["tasks"][0]["state"]["result_state"] == "CANCELED"
    assert api.post(f"{RUNS}/cancel", json={"run_id": running}).json() == {}, "no-op when done"
    neither = api.post(f"{RUNS}/cancel-all", json={})
    assert neither.status_code == 400 and "job_id" in neither.json()["message"]
    assert api.post(f"{RUNS}/delete", json={"run_id": running}).json() == {}
    assert api.get(f"{RUNS}/get", params={"run_id": running}).status_code == 400


def test_repair_leaves_terminated_before_answering_and_keeps_history(
    server: RunningServer, api: httpx.Client
) -> None:
    marker = server.home / "fixed"
    script = server.write_file(
        "/flaky.py",
        f"""
        import pathlib, sys
        if not pathlib.Path({str(marker)!r}).exists():
            sys.exit("not fixed yet")
        """,
    )
    job_id = _job(api, python_job("flaky", script))
    run_id = _run_now(api, job_id)
    first = wait_for_run(api, run_id)
    assert first["state"]["result_state"] == "FAILED"
    history = api.get(f"{RUNS}/get", params={"run_id": run_id, "include_history": True}).json()
    assert [item["type"] for item in history["repair_history"]] == ["ORIGINAL"]
    marker.touch()
    repair = api.post(
        f"{RUNS}/repair", json={"run_id": run_id, "rerun_all_failed_tasks": "true"}
    ).json()
    state = api.get(f"{RUNS}/get", params={"run_id": run_id}).json()["state"]
    assert state["life_cycle_state"] != "TERMINATED"
    repaired = wait_for_run(api, run_id)
    assert repaired["state"]["result_state"] == "SUCCESS"
    assert [t["state"]["result_state"] for t in repaired["tasks"]] == ["FAILED", "SUCCESS"]
    history = api.get(f"{RUNS}/get", params={"run_id": run_id, "include_history": True}).json()
    items = history["repair_history"]
    assert [item["type"] for item in items] == ["ORIGINAL", "REPAIR"]
    assert items[0]["state"]["result_state"] == "FAILED"
    assert items[1]["id"] == repair["repair_id"]
    assert items[1]["task_run_ids"] == [repaired["tasks"][1]["run_id"]]
    stale = api.post(
        f"{RUNS}/repair",
        json={"run_id": run_id, "rerun_tasks": ["main"], "latest_repair_id": 1},
    )
    assert stale.status_code == 400


def test_repair_of_a_running_run_is_invalid_state(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/sleep.py", "import time\ntime.sleep(60)\n")
    run_id = _run_now(api, _job(api, python_job("sleepy", script)))
    response = api.post(f"{RUNS}/repair", json={"run_id": run_id, "rerun_tasks": ["main"]})
    assert response.status_code == 400 and response.json()["error_code"] == "INVALID_STATE"
    api.post(f"{RUNS}/cancel", json={"run_id": run_id})
    wait_for_run(api, run_id)


def test_runs_get_pages_tasks_at_100_on_2_2(server: RunningServer, api: httpx.Client) -> None:
    script = server.write_file("/ok.py", "pass\n")
    tasks = [
        {"task_key": f"t{i:03d}", "spark_python_task": {"python_file": script}} for i in range(120)
    ]
    run_id = _submit(api, {"run_name": "wide", "tasks": tasks})
    wait_for_run(api, run_id, timeout=120)
    first = api.get(f"{RUNS}/get", params={"run_id": run_id}).json()
    assert len(first["tasks"]) == 100 and first["next_page_token"]
    second = api.get(
        f"{RUNS}/get", params={"run_id": run_id, "page_token": first["next_page_token"]}
    ).json()
    assert len(second["tasks"]) == 20 and "next_page_token" not in second
    assert second["state"] == first["state"]
    whole = api.get("/api/2.1/jobs/runs/get", params={"run_id": run_id}).json()
    assert len(whole["tasks"]) == 120 and "next_page_token" not in whole
