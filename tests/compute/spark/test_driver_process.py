"""The driver wrapper as a real process: pid file first, result file last, the exit status
passed through, SIGTERM passed on to the driver. A shell stands in for spark-submit here
(what is under test is the wrapper; the Spark runs are in tests/executors/spark_jar)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brickyard.compute.spark import driver_process
from brickyard.task_protocol import ResultStatus, TaskFiles, read_pid_file, read_result_file


def run_wrapper(task_dir: Path, script: str) -> subprocess.Popen[bytes]:
    task_dir.mkdir(parents=True, exist_ok=True)
    files = TaskFiles.of(task_dir)
    with files.stdout.open("ab") as out, files.stderr.open("ab") as err:
        return subprocess.Popen(
            [sys.executable, "-m", driver_process.__name__, str(task_dir), "sh", "-c", script],
            stdout=out,
            stderr=err,
            start_new_session=True,
        )


def test_success_writes_pid_and_result_files(tmp_path: Path) -> None:
    process = run_wrapper(tmp_path / "t", "echo driver output")
    assert process.wait(30) == 0
    files = TaskFiles.of(tmp_path / "t")
    assert read_pid_file(files.pid).pid == process.pid
    assert read_result_file(files.result).status is ResultStatus.SUCCESS
    assert files.stdout.read_text() == "driver output\n"


def test_a_failure_reports_the_java_exception_from_stderr(tmp_path: Path) -> None:
    script = (
        "echo 'Exception in thread \"main\" java.lang.RuntimeException: boom' >&2; "
        "echo '\tat a.Main.main(Main.java:3)' >&2; exit 7"
    )
    process = run_wrapper(tmp_path / "t", script)
    assert process.wait(30) == 7
    result = read_result_file(TaskFiles.of(tmp_path / "t").result)
    assert result.status is ResultStatus.FAILED
    assert result.error == "java.lang.RuntimeException: boom"
    assert result.error_trace is not None and "a.Main.main" in result.error_trace


def test_spark_connect_client_settings_are_not_passed_to_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPARK_CONNECT_MODE_ENABLED", "1")
    monkeypatch.setenv("SPARK_REMOTE", "sc://127.0.0.1:1")
    monkeypatch.setenv("PIPELINE_ENV", "test")
    script = 'echo "${SPARK_CONNECT_MODE_ENABLED:-unset} ${SPARK_REMOTE:-unset} $PIPELINE_ENV"'
    process = run_wrapper(tmp_path / "t", script)
    assert process.wait(30) == 0
    assert TaskFiles.of(tmp_path / "t").stdout.read_text() == "unset unset test\n"


def test_sigterm_is_passed_on_to_the_driver(tmp_path: Path) -> None:
    marker = tmp_path / "stopped"
    script = f"trap 'echo stopped > {marker}; exit 143' TERM; while true; do sleep 0.1; done"
    process = run_wrapper(tmp_path / "t", script)
    files = TaskFiles.of(tmp_path / "t")
    deadline = time.monotonic() + 10
    while not files.pid.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.3)  # the shell installs its trap
    process.send_signal(signal.SIGTERM)  # the wrapper alone, not its group
    assert process.wait(30) == 143
    assert marker.read_text() == "stopped\n"
    assert read_result_file(files.result).status is ResultStatus.FAILED


def test_a_driver_that_cannot_start_is_a_result_too(tmp_path: Path) -> None:
    task_dir = tmp_path / "t"
    task_dir.mkdir()
    status = driver_process.run_driver(task_dir, [str(tmp_path / "no-such-spark-submit")])
    assert status == 1
    result = read_result_file(TaskFiles.of(task_dir).result)
    assert result.error is not None and result.error.startswith("cannot start ")
