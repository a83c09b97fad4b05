"""How a task-run attempt ended: the result file its process left, read into a TaskOutcome.

A process that died without a result file (killed, crashed in the interpreter, out of memory)
is a ``DRIVER_ERROR`` whose message says how it ended and where its stderr is.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from brickyard.executors.base import TaskOutcome, TaskProcessPlan
from brickyard.states import ResultState, TerminationCode

LOGS_LIMIT_BYTES = 5 * 1024 * 1024
"""``runs/get-output`` ``logs`` keeps the last 5 MB of the task's output."""

WORKLOAD_FAILED_MESSAGE = "Workload failed, see run output for details"
"""The ``state_message`` of a failed task run whose failure is in its output."""

_SPECIFIC_MESSAGE_CODES = {
    TerminationCode.LIBRARY_INSTALLATION_ERROR,
    TerminationCode.RESOURCE_NOT_FOUND,
    TerminationCode.INVALID_RUN_CONFIGURATION,
}


def read_outcome_files(
    plan: TaskProcessPlan, exit_status: int | None, *, include_logs: bool = False
) -> TaskOutcome:
    """Read ``plan.result_file``; without a valid one the attempt failed with DRIVER_ERROR.

    ``include_logs`` fills ``logs`` with the tail of stdout + stderr (Python script and wheel
    tasks; notebooks have their output in the executed notebook instead).
    """
    logs, logs_truncated = (None, False)
    if include_logs:
        logs, logs_truncated = read_logs_tail(plan.process.stdout_path, plan.process.stderr_path)
    result = _load_result(plan.result_file)
    if result is None:
        return TaskOutcome(
            result=ResultState.FAILED,
            message=_no_result_message(exit_status, plan.process.stderr_path),
            termination_code=TerminationCode.DRIVER_ERROR,
            error=_no_result_message(exit_status, plan.process.stderr_path),
            error_code="DriverError",
            logs=logs,
            logs_truncated=logs_truncated,
        )
    task_values = result.get("task_values")
    common: dict[str, Any] = {
        "exit_value": _optional_str(result.get("exit_value")),
        "exit_value_truncated": bool(result.get("exit_value_truncated")),
        "task_values": dict(task_values) if isinstance(task_values, Mapping) else {},
        "logs": logs,
        "logs_truncated": logs_truncated,
    }
    if result.get("status") == ResultState.SUCCESS.value:
        return TaskOutcome(
            result=ResultState.SUCCESS, termination_code=TerminationCode.SUCCESS, **common
        )
    code = _termination_code(result.get("termination_code"))
    error = _optional_str(result.get("error")) or "the task failed"
    return TaskOutcome(
        result=ResultState.FAILED,
        message=error if code in _SPECIFIC_MESSAGE_CODES else WORKLOAD_FAILED_MESSAGE,
        termination_code=code,
        error=error,
        error_trace=_optional_str(result.get("error_trace")),
        error_code=_optional_str(result.get("error_code")) or "RunExecutionError",
        **common,
    )


read_outcome = read_outcome_files
"""The same function under the name the executors' brief gives it."""


def read_logs_tail(stdout: Path, stderr: Path) -> tuple[str, bool]:
    """The last :data:`LOGS_LIMIT_BYTES` of stdout followed by stderr, and whether it was cut."""
    parts = [_tail_bytes(path, LOGS_LIMIT_BYTES) for path in dict.fromkeys((stdout, stderr))]
    joined = b"".join(data for data, _ in parts)
    truncated = any(cut for _, cut in parts) or len(joined) > LOGS_LIMIT_BYTES
    if len(joined) > LOGS_LIMIT_BYTES:
        joined = joined[-LOGS_LIMIT_BYTES:]
    # errors="ignore" drops a multi-byte character split by the cut instead of garbling it.
    return joined.decode("utf-8", errors="ignore" if truncated else "replace"), truncated


def describe_exit(exit_status: int | None) -> str:
    """``exited with code 3``, ``was killed by SIGKILL``, or ``ended`` when unknown."""
    if exit_status is None:
        return "ended"
    if exit_status < 0:
        try:
            name = signal.Signals(-exit_status).name
        except ValueError:
            name = f"signal {-exit_status}"
        return f"was killed by {name}"
    return f"exited with code {exit_status}"


def _no_result_message(exit_status: int | None, stderr: Path) -> str:
    return f"the task process {describe_exit(exit_status)} without reporting a result; see {stderr}"


def _load_result(path: Path) -> Mapping[str, Any] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("status") not in {"SUCCESS", "FAILED"}:
        return None
    return raw


def _termination_code(value: Any) -> TerminationCode:
    try:
        return TerminationCode(value)
    except ValueError:
        return TerminationCode.RUN_EXECUTION_ERROR


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _tail_bytes(path: Path, limit: int) -> tuple[bytes, bool]:
    try:
        if path.stat().st_size == 0:
            return b"", False  # most logs are empty: skip the open
        with path.open("rb") as file:
            size = file.seek(0, 2)
            file.seek(max(0, size - limit))
            return file.read(), size > limit
    except OSError:
        return b"", False
