"""The task process of a JAR or spark-submit task: runs ``spark-submit`` and reports its end
through the task protocol, as every Python task process does.

``python -m brickyard.compute.spark.driver_process <task_dir> <spark-submit argv...>``

It writes ``pid.json`` first and ``result.json`` last (the driver's exit status, and the
Java exception from its stderr when it failed), so an engine that restarts while the driver
runs adopts it like any task and completes it from its result file, and a one-shot recovery
reads the same outcome. The driver inherits this process's stdout and stderr (the task's log
files) and its process group, so cancelling the task stops the JVM too; a SIGTERM sent to
this process alone is passed on to the driver.

Standard library and :mod:`brickyard.task_protocol` only: it starts in ~50 ms, beside a JVM
start of seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from brickyard.compute.spark.driver_errors import driver_error
from brickyard.task_protocol import (
    ResultStatus,
    TaskFiles,
    TaskResult,
    write_pid_file,
    write_result_file,
)

STDERR_READ_LIMIT = 4 * 1024 * 1024
"""Only the end of a huge log is searched for the error."""
CONNECT_CLIENT_VARIABLES = frozenset(
    {
        "SPARK_REMOTE",
        "SPARK_CONNECT_MODE_ENABLED",
        "SPARK_LOCAL_REMOTE",
        "SPARK_CONNECT_AUTHENTICATE_TOKEN",
    }
)
"""Spark Connect client settings a parent process may carry (pyspark sets some in
``os.environ`` once a process has used a remote session): a classic driver started with
them would build a Connect session for the application instead of its own."""


def run_driver(task_dir: Path, argv: list[str]) -> int:
    """Run ``argv``, write the result file, and return the driver's exit status."""
    files = TaskFiles.of(task_dir)
    write_pid_file(files.pid)
    try:
        env = {k: v for k, v in os.environ.items() if k not in CONNECT_CLIENT_VARIABLES}
        driver = subprocess.Popen(argv, stdin=subprocess.DEVNULL, env=env)
    except OSError as error:
        message = f"cannot start {argv[0]}: {error.strerror or error}"
        print(message, file=sys.stderr, flush=True)
        write_result_file(
            files.result,
            TaskResult(status=ResultStatus.FAILED, error=message, termination_code="DRIVER_ERROR"),
        )
        return 1

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        if driver.poll() is None:
            driver.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, pass_on)
    status = driver.wait()
    write_result_file(files.result, result_of(status, files))
    return status if status >= 0 else 128 - status


def result_of(status: int, files: TaskFiles) -> TaskResult:
    """The result of a driver that exited with ``status``: SUCCESS for 0, else the error its
    logs show."""
    if status == 0:
        return TaskResult(status=ResultStatus.SUCCESS)
    found = driver_error(_tail(files.stderr), status, stdout=_tail(files.stdout))
    return TaskResult(
        status=ResultStatus.FAILED,
        error=found.error,
        error_trace=found.trace,
        error_code="RunExecutionError",
    )


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as file:
            size = file.seek(0, 2)
            file.seek(max(0, size - STDERR_READ_LIMIT))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def main(arguments: list[str]) -> int:
    """The command line: ``<task_dir> <argv...>``."""
    if len(arguments) < 2:
        print("usage: driver_process <task_dir> <spark-submit argv...>", file=sys.stderr)
        return 2
    return run_driver(Path(arguments[0]), arguments[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
