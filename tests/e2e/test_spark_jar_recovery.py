"""A JAR task's driver outlives a killed ``brickyard run``: a long-lived engine adopts it and
completes the task from its result file, and a one-shot command reads the result it left.
The driver's wrapper writes ``pid.json`` and ``result.json`` as every task process does."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from brickyard import storage
from brickyard.app import build_services
from brickyard.compute.spark.lakehouse import table_folder
from brickyard.settings import Settings
from support.spark import spark_or_skip
from support.spark_jobs import PROCESS_CLASS, build_pipeline_jar

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def wait_for(pattern: str, root: Path, timeout: float = 120) -> Path:
    deadline = time.monotonic() + timeout
    while True:
        found = sorted(root.glob(pattern))
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no {pattern} under {root}"
        time.sleep(0.05)


def start_and_kill(cli: Any) -> subprocess.Popen[bytes]:
    installation = spark_or_skip()
    if installation.javac is None:
        pytest.skip(f"{installation.java} has no javac next to it")
    build_pipeline_jar(installation, cli.root / "job" / "pipeline.jar")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "jar recovery",
                "tasks": [
                    {
                        "task_key": "process",
                        "spark_jar_task": {
                            "main_class_name": PROCESS_CLASS,
                            "parameters": ["--date", "2026-12-05"],
                        },
                        "libraries": [{"jar": "pipeline.jar"}],
                    }
                ],
            }
        ),
    )
    process = cli.start("run", str(job))
    wait_for("runs/1/*-process/pid.json", cli.home)  # the driver's wrapper runs
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process


def test_a_long_lived_engine_adopts_a_running_driver(cli: Any) -> None:
    start_and_kill(cli)
    settings = Settings.from_env({"BRICKYARD_HOME": str(cli.home)})
    services = build_services(settings, adopt_orphans=True)
    try:
        services.engine.recover_orphans()
        run = services.engine.wait_for(1)
        with services.database.read() as conn:
            (task,) = storage.list_task_runs(conn, 1)
    finally:
        services.close()
    assert run.result_state is not None and run.result_state.value == "SUCCESS"
    # the adopted driver's logs are the task's output, as if its engine had never gone
    assert task.logs is not None and "processed 3 rows for 2026-12-05" in task.logs
    folder = table_folder(settings.lakehouse_root, "main.default.processed")
    assert list(folder.glob("*.parquet"))


def test_a_driver_that_finished_unwatched_keeps_its_result(cli: Any, latest_tasks: Any) -> None:
    start_and_kill(cli)
    wait_for("runs/1/*-process/result.json", cli.home)
    body = json.loads(cli("runs", "get", "1").stdout)
    task = latest_tasks(body)["process"]
    assert task["state"]["result_state"] == "SUCCESS", task["state"]
