"""The files a task process leaves for the engine: ``pid.json`` and the result file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

RESULT_VERSION = 1
EXIT_VALUE_LIMIT_BYTES = 5 * 1024 * 1024
"""``dbutils.notebook.exit`` keeps the first 5 MB (UTF-8 bytes) of the value."""

RUN_EXECUTION_ERROR_CODE = "RunExecutionError"


class ResultStatus(StrEnum):
    """How the task ended, as far as the task process can tell."""

    SUCCESS = "SUCCESS"
    """The code ran to the end, exited with code 0, or called ``dbutils.notebook.exit``."""
    FAILED = "FAILED"
    """The code raised, exited with a non-zero code, or the process was terminated."""


@dataclass(frozen=True)
class TaskResult:
    """The content of the result file."""

    status: ResultStatus
    exit_value: str | None = None
    exit_value_truncated: bool = False
    task_values: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    error_trace: str | None = None
    error_code: str | None = None
    termination_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The result file's JSON object."""
        return {
            "version": RESULT_VERSION,
            "status": self.status.value,
            "exit_value": self.exit_value,
            "exit_value_truncated": self.exit_value_truncated,
            "task_values": dict(self.task_values),
            "error": self.error,
            "error_trace": self.error_trace,
            "error_code": self.error_code,
            "termination_code": self.termination_code,
        }


def truncate_exit_value(value: str) -> tuple[str, bool]:
    """The first 5 MB (UTF-8 bytes) of ``value`` and whether anything was cut."""
    encoded = value.encode("utf-8", errors="surrogatepass")
    if len(encoded) <= EXIT_VALUE_LIMIT_BYTES:
        return value, False
    # errors="ignore" drops a multi-byte character split by the cut instead of garbling it.
    return encoded[:EXIT_VALUE_LIMIT_BYTES].decode("utf-8", errors="ignore"), True


def write_json_atomic(path: Path, payload: Any, mode: int | None = None) -> None:
    """Write ``payload`` as JSON so that readers see the old file or the new one, never half.

    The temporary file lives in the same folder, so ``os.replace`` is a rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, default=str)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_result_file(path: Path, result: TaskResult) -> None:
    """Write the result file atomically."""
    write_json_atomic(path, result.to_json())


def read_result_file(path: Path) -> TaskResult:
    """Read a result file written by :func:`write_result_file` (tests, tools)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return TaskResult(
        status=ResultStatus(raw["status"]),
        exit_value=raw.get("exit_value"),
        exit_value_truncated=bool(raw.get("exit_value_truncated", False)),
        task_values=raw.get("task_values") or {},
        error=raw.get("error"),
        error_trace=raw.get("error_trace"),
        error_code=raw.get("error_code"),
        termination_code=raw.get("termination_code"),
    )


def process_start_ticks(pid: int) -> int | None:
    """Field 22 (starttime, clock ticks since boot) of ``/proc/<pid>/stat``; None without /proc.

    Together with the pid it identifies a process even after the pid is reused.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may contain spaces: split after it.
    fields_after_name = stat.rsplit(")", 1)[-1].split()
    # fields_after_name[0] is field 3 (state), so field 22 is at index 19.
    try:
        return int(fields_after_name[19])
    except (IndexError, ValueError):
        return None


def write_pid_file(task_dir: Path, pid: int | None = None) -> None:
    """Write ``task_dir/pid.json`` for crash recovery (the first thing a task process does)."""
    pid = os.getpid() if pid is None else pid
    write_json_atomic(
        task_dir / "pid.json", {"pid": pid, "process_start": process_start_ticks(pid)}
    )
