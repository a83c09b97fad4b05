"""How a task-run attempt ended: the result file its process left, read into a TaskOutcome.

A process that died without a result file (killed, crashed in the interpreter, out of memory)
is a ``DRIVER_ERROR`` whose message says how it ended and where its stderr is.
"""

from __future__ import annotations

import signal
from pathlib import Path

from brickyard.executors.base import TaskOutcome, TaskProcessPlan
from brickyard.states import ResultState, TerminationCode
from brickyard.task_protocol import ProtocolError, ResultStatus, TaskResult, read_result_file

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

    ``include_logs`` fills ``logs`` with the tail of stdout + stderr (task types whose output
    is their logs; notebooks have theirs in the executed notebook instead).
    """
    logs, logs_truncated = (None, False)
    if include_logs:
        logs, logs_truncated = read_logs_tail(plan.process.stdout_path, plan.process.stderr_path)
    try:
        result = read_result_file(plan.result_file)
    except ProtocolError:
        return TaskOutcome(
            result=ResultState.FAILED,
            message=_no_result_message(exit_status, plan.process.stderr_path),
            termination_code=TerminationCode.DRIVER_ERROR,
            error=_no_result_message(exit_status, plan.process.stderr_path),
            error_code="DriverError",
            logs=logs,
            logs_truncated=logs_truncated,
        )
    return outcome_of(result, logs=logs, logs_truncated=logs_truncated)


def outcome_of(
    result: TaskResult, *, logs: str | None = None, logs_truncated: bool = False
) -> TaskOutcome:
    """The outcome a result file reports."""
    if result.status is ResultStatus.SUCCESS:
        return TaskOutcome(
            result=ResultState.SUCCESS,
            termination_code=TerminationCode.SUCCESS,
            exit_value=result.exit_value,
            exit_value_truncated=result.exit_value_truncated,
            task_values=dict(result.task_values),
            logs=logs,
            logs_truncated=logs_truncated,
        )
    code = _termination_code(result.termination_code)
    error = result.error or "the task failed"
    return TaskOutcome(
        result=ResultState.FAILED,
        message=error if code in _SPECIFIC_MESSAGE_CODES else WORKLOAD_FAILED_MESSAGE,
        termination_code=code,
        error=error,
        error_trace=result.error_trace,
        error_code=result.error_code or "RunExecutionError",
        exit_value=result.exit_value,
        exit_value_truncated=result.exit_value_truncated,
        task_values=dict(result.task_values),
        logs=logs,
        logs_truncated=logs_truncated,
    )


def failed_outcome(message: str, code: TerminationCode) -> TaskOutcome:
    """A failure decided before or without a process (a launch error, an unsupported type)."""
    return TaskOutcome(
        result=ResultState.FAILED,
        message=message,
        termination_code=code,
        error=message,
        error_code="RunExecutionError",
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


def _termination_code(value: str | None) -> TerminationCode:
    if value is None:
        return TerminationCode.RUN_EXECUTION_ERROR
    try:
        return TerminationCode(value)
    except ValueError:
        return TerminationCode.RUN_EXECUTION_ERROR


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
