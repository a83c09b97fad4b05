"""Schedules and triggers firing in a real ``brickyard server``: a cron schedule on time and
across a restart, a file arriving, a continuous job restarted by a settings change."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from support.api_server import wait_for_run
from support.server_process import Server

pytestmark = pytest.mark.e2e

AT = "{{job.trigger.time.timestamp_ms}}"


def _job(cli: Any, name: str, script: str, **extra: Any) -> dict[str, Any]:
    workspace = cli.home / "workspace"
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / f"{name}.py").write_text(script)
    return {
        "name": name,
        "tasks": [{"task_key": "main", "spark_python_task": {"python_file": f"/{name}.py"}}],
        **extra,
    }


def _runs(client: httpx.Client, job_id: int) -> list[dict[str, Any]]:
    body = client.get("/api/2.2/jobs/runs/list", params={"job_id": job_id, "limit": 25}).json()
    return sorted(body.get("runs", []), key=lambda run: run["run_id"])


def _wait(what: str, check: Callable[[], Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return found


def _param(run: dict[str, Any], name: str) -> str:
    return next(str(p["value"]) for p in run["job_parameters"] if p["name"] == name)


def test_a_cron_schedule_fires_on_time_and_a_restart_neither_loses_nor_repeats_a_fire(
    cli: Any,
) -> None:
    server = Server(cli)
    server.start()
    try:
        with server.client() as client:
            job = _job(
                cli,
                "every10s",
                "print('tick')\n",
                schedule={"quartz_cron_expression": "0/10 * * * * ?", "timezone_id": "UTC"},
                parameters=[{"name": "at", "default": AT}],
                max_concurrent_runs=5,
            )
            job_id = client.post("/api/2.2/jobs/create", json=job).json()["job_id"]
            runs = _wait(
                "two scheduled runs",
                lambda: len(_runs(client, job_id)) >= 2 and _runs(client, job_id),
                40,
            )
    finally:
        server.stop()
    first, second = runs[:2]
    for run in (first, second):
        scheduled = int(_param(run, "at"))
        assert run["trigger"] == "PERIODIC"
        assert scheduled % 10_000 == 0, "the trigger time is the scheduled time"
        assert 0 <= run["start_time"] - scheduled < 1000, "started within 1 s of its fire time"
    assert int(_param(second, "at")) - int(_param(first, "at")) == 10_000

    stopped_at = time.time()
    time.sleep(11)  # at least one fire time passes while the server is down
    server.start()
    try:
        with server.client() as client:
            before = {run["run_id"] for run in runs}
            after = _wait(
                "the missed fire",
                lambda: [
                    r
                    for r in _runs(client, job_id)
                    if r["run_id"] not in before and int(_param(r, "at")) > stopped_at * 1000
                ],
                20,
            )
            time.sleep(1)
            scheduled = [int(_param(r, "at")) for r in _runs(client, job_id)]
    finally:
        server.stop()
    assert len(scheduled) == len(set(scheduled)), "no fire happened twice"
    assert after[0]["start_time"] - int(_param(after[0], "at")) < 15_000


def test_a_new_file_starts_a_file_arrival_run_that_sees_the_location(cli: Any) -> None:
    landing = cli.root / "landing"
    landing.mkdir()
    (landing / "before.csv").write_text("old")
    server = Server(cli)
    server.env["BRICKYARD_FILE_ARRIVAL_POLL_SECONDS"] = "0.2"
    server.start()
    try:
        with server.client() as client:
            job = _job(
                cli,
                "on_arrival",
                "import sys\nprint(sys.argv[1])\n",
                trigger={"file_arrival": {"url": str(landing)}},
                parameters=[{"name": "where", "default": "{{job.trigger.file_arrival.location}}"}],
            )
            job["tasks"][0]["spark_python_task"]["parameters"] = ["{{job.parameters.where}}"]
            job_id = client.post("/api/2.2/jobs/create", json=job).json()["job_id"]
            time.sleep(1)  # the trigger records what is already there
            assert _runs(client, job_id) == []
            (landing / "day=2026-11-21").mkdir()
            (landing / "day=2026-11-21" / "orders.csv").write_text("new")
            (run,) = _wait("a file-arrival run", lambda: _runs(client, job_id), 20)
            assert run["trigger"] == "FILE_ARRIVAL"
            assert _param(run, "where") == str(landing)
            finished = wait_for_run(client, run["run_id"])
            assert finished["state"]["result_state"] == "SUCCESS"
    finally:
        server.stop()


def test_a_continuous_job_restarts_on_a_settings_change_and_stops_when_paused(
    cli: Any,
) -> None:
    server = Server(cli)
    server.start()
    try:
        with server.client() as client:
            job = _job(
                cli,
                "forever",
                "import time\nwhile True:\n    time.sleep(0.1)\n",
                continuous={"pause_status": "UNPAUSED"},
            )
            job_id = client.post("/api/2.2/jobs/create", json=job).json()["job_id"]
            (first,) = _wait("the continuous run", lambda: _runs(client, job_id), 20)
            assert first["trigger"] == "CONTINUOUS"
            update = {"job_id": job_id, "new_settings": {"description": "v2"}}
            assert client.post("/api/2.2/jobs/update", json=update).status_code == 200
            runs = _wait(
                "the restart", lambda: len(_runs(client, job_id)) == 2 and _runs(client, job_id), 30
            )
            restarted = runs[1]
            assert restarted["trigger"] == "CONTINUOUS_RESTART"
            ended = client.get("/api/2.2/jobs/runs/get", params={"run_id": first["run_id"]}).json()
            assert ended["state"]["result_state"] == "CANCELED"
            assert (
                sum(r["state"]["life_cycle_state"] not in ("TERMINATED", "SKIPPED") for r in runs)
                == 1
            )
            paused = cli("jobs", "pause", str(job_id))
            assert paused.returncode == 0, paused.stderr
            _wait(
                "the paused job's run to stop",
                lambda: all(
                    r["state"]["life_cycle_state"] == "TERMINATED" for r in _runs(client, job_id)
                ),
                30,
            )
            time.sleep(2)
            assert len(_runs(client, job_id)) == 2, "a paused continuous job starts nothing"
    finally:
        server.stop()
