"""``brickyard server`` as users run it: the banner and first token, SIGTERM leaving every run
consistent, and the next start picking the run up."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.server_process import Server

pytestmark = pytest.mark.e2e


def _run_state(client: httpx.Client, run_id: int) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/api/2.2/jobs/runs/get", params={"run_id": run_id}).json()
    return body


def test_the_first_start_shows_an_admin_token_once_and_it_works(cli: Any) -> None:
    server = Server(cli, token=None)
    server.start()
    first = server.stop()
    assert server.process is not None and server.process.returncode == 0
    assert f"brickyard server on http://localhost:{server.port}" in first
    assert "export DATABRICKS_HOST=" in first
    token = next(line.strip() for line in first.splitlines() if line.strip().startswith("dapi"))
    server.start()
    with server.client(token) as client:
        assert client.get("/api/2.2/jobs/list").status_code == 200
    second = server.stop()
    assert token not in second and "shown this once" not in second


def test_sigterm_leaves_runs_consistent_and_the_next_start_finishes_them(cli: Any) -> None:
    workspace = cli.home / "workspace"
    workspace.mkdir(parents=True)
    release = cli.root / "release"
    done = cli.root / "done"
    (workspace / "wait.py").write_text(
        "import pathlib, time\n"
        f"while not pathlib.Path({str(release)!r}).exists():\n"
        "    time.sleep(0.05)\n"
        f"pathlib.Path({str(done)!r}).write_text('ok')\n"
    )
    server = Server(cli)
    server.start()
    with server.client() as client:
        job = {
            "name": "survives restarts",
            "tasks": [{"task_key": "wait", "spark_python_task": {"python_file": "/wait.py"}}],
        }
        job_id = client.post("/api/2.2/jobs/create", json=job).json()["job_id"]
        run_id = client.post("/api/2.2/jobs/run-now", json={"job_id": job_id}).json()["run_id"]
        deadline = time.monotonic() + 30
        while _run_state(client, run_id)["tasks"][0]["state"]["life_cycle_state"] != "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    started = time.monotonic()
    server.stop()
    assert server.process is not None and server.process.returncode == 0
    assert time.monotonic() - started < 15, "SIGTERM stops the server promptly"
    assert not done.exists(), "the task keeps running while the server is down"

    release.touch()
    server.start()
    try:
        with server.client() as client:
            deadline = time.monotonic() + 60
            while (state := _run_state(client, run_id)["state"])["life_cycle_state"] != (
                "TERMINATED"
            ):
                assert time.monotonic() < deadline, state
                time.sleep(0.1)
            assert state["result_state"] == "SUCCESS"
            assert done.read_text() == "ok"
    finally:
        server.stop()


def test_a_taken_port_is_one_clear_line_and_exit_2(cli: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("server", "--port", str(port), timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"brickyard: --port {port}: cannot listen on 127.0.0.1:{port}: the port is in use"
    )
    assert not (Path(cli.home) / "brickyard.db").exists(), "nothing is created"
