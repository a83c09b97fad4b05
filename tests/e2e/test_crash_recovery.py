"""SIGKILL ``brickyard run`` mid-run: the next engine start leaves a consistent run."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from brickyard.app import build_services
from brickyard.settings import Settings


def wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def job_file(cli: Any, seconds: float) -> Path:
    started = cli.root / "started"
    count = cli.root / "count"
    cli.write(
        "job/long.py",
        (
            "import os, time\n"
            f"open({str(started)!r}, 'w').write(str(os.getpid()))\n"
            f"open({str(count)!r}, 'a').write('x')\n"
            f"time.sleep({seconds})\n"
        ),
    )
    cli.write("job/ok.py", "pass\n")
    return cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "crash",
                "tasks": [
                    {"task_key": "long", "spark_python_task": {"python_file": "long.py"}},
                    {
                        "task_key": "after",
                        "depends_on": [{"task_key": "long"}],
                        "spark_python_task": {"python_file": "ok.py"},
                    },
                ],
            }
        ),
    )


def kill_mid_run(cli: Any, job: Path) -> int:
    process = cli.start("run", str(job))
    wait_for(cli.root / "started")
    process.send_signal(signal.SIGKILL)
    process.wait()
    return int((cli.root / "started").read_text())


def test_runs_get_after_sigkill_shows_no_task_running(cli: Any, latest_tasks: Any) -> None:
    task_pid = kill_mid_run(cli, job_file(cli, 60))
    result = cli("runs", "get", "1")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    tasks = latest_tasks(body)
    assert body["state"]["life_cycle_state"] == "INTERNAL_ERROR"
    assert "stopped before the run finished" in body["state"]["state_message"]
    assert tasks["long"]["state"]["life_cycle_state"] == "INTERNAL_ERROR"
    assert tasks["after"]["state"]["result_state"] == "CANCELED"
    assert all(
        t["state"]["life_cycle_state"] in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")
        for t in body["tasks"]
    )
    deadline = time.monotonic() + 10
    while alive(task_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(task_pid), "recovery must stop the orphaned task process"


def test_a_task_that_finished_while_no_engine_watched_keeps_its_result(
    cli: Any, latest_tasks: Any
) -> None:
    kill_mid_run(cli, job_file(cli, 0.5))
    time.sleep(1.5)  # the orphaned task finishes on its own and leaves its result file
    body = json.loads(cli("runs", "get", "1").stdout)
    tasks = latest_tasks(body)
    assert tasks["long"]["state"]["result_state"] == "SUCCESS"
    repaired = cli("runs", "repair", "1")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    body = json.loads(cli("runs", "get", "1").stdout)
    assert latest_tasks(body)["after"]["state"]["result_state"] == "SUCCESS"
    assert (cli.root / "count").read_text() == "x", "a finished task must never run twice"


@pytest.mark.slow
def test_a_long_lived_engine_adopts_living_task_processes(cli: Any) -> None:
    kill_mid_run(cli, job_file(cli, 2))
    services = build_services(
        Settings.from_env({"BRICKYARD_HOME": str(cli.home)}), adopt_orphans=True
    )
    try:
        services.engine.recover_orphans()
        run = services.engine.wait_for(1)
    finally:
        services.close()
    assert run.result_state is not None and run.result_state.value == "SUCCESS"
    assert (cli.root / "count").read_text() == "x"
