"""GET parameters sent as a JSON body (no query string), as Databricks accepts them: with httpx
on several routes, and with Airflow's Databricks provider in deferrable mode (its async hook),
which sends ``runs/get`` and ``runs/get-output`` that way.

The provider needs Airflow 3, whose pins clash with ours (it caps FastAPI), so it lives in its
own virtual environment, ``.venv-airflow`` (``scripts/airflow_venv.sh``, built by ``.ci/run``);
the test drives it as a subprocess and skips when it is absent, except in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from brickyard.api.get_body import query_string_from_body
from support.api_server import RunningServer, python_job, wait_for_run

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_PYTHON = ROOT / ".venv-airflow" / "bin" / "python"

DRIVER = """
import asyncio, json, sys
from airflow.providers.databricks.hooks.databricks import DatabricksHook

async def main(job_run_id: int, task_run_id: int) -> None:
    hook = DatabricksHook(databricks_conn_id="brickyard", retry_limit=1)
    async with hook:
        run = await hook.a_get_run(job_run_id)
        state = await hook.a_get_run_state(job_run_id)
        output = await hook.a_get_run_output(task_run_id)
    print(json.dumps({"run": run, "state": state.to_json(), "output": output}))

asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
"""


def test_a_json_object_body_becomes_the_query_string() -> None:
    body = json.dumps({"run_id": 5, "include_history": True, "ids": [1, 2], "none": None})
    assert query_string_from_body(body.encode()) == b"run_id=5&include_history=true&ids=1&ids=2"
    assert query_string_from_body(b"[1, 2]") is None
    assert query_string_from_body(b"not json") is None


def finished_run(server: RunningServer, api: httpx.Client) -> dict[str, Any]:
    script = server.write_file("/Shared/hello.py", "print('hello from the task')\n")
    job = api.post("/api/2.2/jobs/create", json=python_job("hello", script)).json()
    run = api.post("/api/2.2/jobs/run-now", json={"job_id": job["job_id"]}).json()
    return wait_for_run(api, run["run_id"])


def test_get_routes_read_parameters_from_a_json_body(
    server: RunningServer, api: httpx.Client
) -> None:
    run = finished_run(server, api)
    by_body = api.request("GET", "/api/2.2/jobs/runs/get", json={"run_id": run["run_id"]})
    assert by_body.status_code == 200, by_body.text
    assert by_body.json()["run_id"] == run["run_id"]
    task_run_id = run["tasks"][0]["run_id"]
    output = api.request("GET", "/api/2.1/jobs/runs/get-output", json={"run_id": task_run_id})
    assert output.status_code == 200, output.text
    assert output.json()["metadata"]["run_id"] == task_run_id
    listed = api.request("GET", "/api/2.2/jobs/list", json={"limit": 1, "expand_tasks": True})
    assert listed.status_code == 200 and "tasks" in listed.json()["jobs"][0]["settings"]
    status = api.request("GET", "/api/2.0/workspace/get-status", json={"path": "/Shared"})
    assert status.status_code == 200 and status.json()["object_type"] == "DIRECTORY"


def test_a_query_string_wins_over_a_body(server: RunningServer, api: httpx.Client) -> None:
    run = finished_run(server, api)
    response = api.request(
        "GET", "/api/2.2/jobs/runs/get", params={"run_id": run["run_id"]}, json={"run_id": 0}
    )
    assert response.status_code == 200 and response.json()["run_id"] == run["run_id"]


def test_without_query_or_body_the_field_is_reported_missing(api: httpx.Client) -> None:
    response = api.get("/api/2.2/jobs/runs/get")
    assert response.status_code == 400
    assert "run_id" in response.json()["message"]


def test_airflow_deferrable_hook_polls_a_run(
    server: RunningServer, api: httpx.Client, tmp_path: Path
) -> None:
    if not AIRFLOW_PYTHON.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AIRFLOW_PYTHON} is missing: .ci/run builds it")
        pytest.skip("no .venv-airflow (build it with scripts/airflow_venv.sh)")
    run = finished_run(server, api)
    port = int(server.url.rsplit(":", 1)[1])
    connection = {
        "conn_type": "databricks",
        "host": "127.0.0.1",
        "port": port,
        "schema": "http",
        "password": server.token,
    }
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW_CONN_BRICKYARD": json.dumps(connection),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    task_run_id = run["tasks"][0]["run_id"]
    result = subprocess.run(
        [str(AIRFLOW_PYTHON), "-c", DRIVER, str(run["run_id"]), str(task_run_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["run"]["run_id"] == run["run_id"]
    assert answer["run"]["state"]["result_state"] == "SUCCESS"
    state = json.loads(answer["state"])
    assert state["life_cycle_state"] == "TERMINATED" and state["result_state"] == "SUCCESS"
    assert answer["output"]["metadata"]["run_id"] == task_run_id
