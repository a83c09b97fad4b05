"""The server logs one INFO line when a run starts and one when it ends, from the engine's
committed events."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from brickyard.api.run_log import log_run_event
from brickyard.engine.events import RunChanged
from brickyard.states import LifeCycleState, ResultState
from support.api_server import RunningServer, python_job, wait_for_run

LOGGER = "brickyard.api.run_log"


def changed(
    state: LifeCycleState,
    result: ResultState | None = None,
    *,
    job_id: int | None = 3,
    state_message: str = "",
    start_time: int = 0,
    end_time: int = 0,
) -> RunChanged:
    return RunChanged(7, job_id, state, result, state_message, start_time, end_time)


def test_a_line_for_the_start_and_one_for_the_end(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    log_run_event(changed(LifeCycleState.PENDING))
    log_run_event(changed(LifeCycleState.RUNNING, start_time=1_000))
    log_run_event(
        changed(
            LifeCycleState.TERMINATED,
            ResultState.FAILED,
            state_message="Task a failed",
            start_time=1_000,
            end_time=3_500,
        )
    )
    log_run_event(changed(LifeCycleState.INTERNAL_ERROR, job_id=None, state_message="lost"))
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "run 7 (job 3) started"),
        (logging.INFO, "run 7 (job 3) ended FAILED in 2.5 s: Task a failed"),
        (logging.INFO, "run 7 (one-time run) ended INTERNAL_ERROR: lost"),
    ]


def test_the_server_logs_each_run(
    server: RunningServer, api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    script = server.write_file("/Shared/ok.py", "print('ok')\n")
    job_id = api.post("/api/2.2/jobs/create", json=python_job("ok", script)).json()["job_id"]
    run_id = api.post("/api/2.2/jobs/run-now", json={"job_id": job_id}).json()["run_id"]
    wait_for_run(api, run_id)
    deadline = time.monotonic() + 10
    while len(caplog.records) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # the end line is written right after the commit runs/get saw
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert messages[0] == f"run {run_id} (job {job_id}) started"
    assert messages[1].startswith(f"run {run_id} (job {job_id}) ended SUCCESS in ")
    assert len(messages) == 2
