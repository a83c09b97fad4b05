"""``result.json``: how a task process ended, written by the runtime, read by the executors.

The runtime writes it last and atomically, so a reader sees the whole file or none. A file
without ``version`` is version 1 (the only one so far).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from brickyard.task_protocol.fields import FieldReader
from brickyard.task_protocol.json_files import ProtocolError, read_json_object, write_json_atomic

RESULT_VERSION = 1


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
    """A ``TerminationCode`` value (the runtime cannot import the server's enum)."""

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

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], source: str = "result.json") -> TaskResult:
        """Check a decoded result file; a :class:`ProtocolError` names the bad field."""
        reader = FieldReader(raw, source)
        reader.version(RESULT_VERSION)
        status_text = reader.string("status")
        try:
            status = ResultStatus(status_text)
        except ValueError:
            raise reader.fail(f"status {status_text!r} is not SUCCESS or FAILED") from None
        return cls(
            status=status,
            exit_value=_text(raw.get("exit_value")),
            exit_value_truncated=bool(raw.get("exit_value_truncated")),
            task_values=_object(raw.get("task_values")),
            error=_text(raw.get("error")),
            error_trace=_text(raw.get("error_trace")),
            error_code=_text(raw.get("error_code")),
            termination_code=_text(raw.get("termination_code")),
        )


def _object(value: Any) -> dict[str, Any]:
    # Task values that are not an object (a damaged file) are dropped, not the whole result.
    return dict(value) if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    # Lenient on purpose: user code chose these values; a number is shown, not rejected.
    return None if value is None else str(value)


def write_result_file(path: Path, result: TaskResult) -> None:
    """Write the result file atomically (the one writer: the task runtime)."""
    write_json_atomic(path, result.to_json())


def read_result_file(path: Path) -> TaskResult:
    """Read the result file (the one reader: the executors and engine recovery); raises
    :class:`ProtocolError` when it is missing, damaged or of an unknown version."""
    return TaskResult.from_json(read_json_object(path, "result file"), source=str(path))


__all__ = [
    "RESULT_VERSION",
    "ProtocolError",
    "ResultStatus",
    "TaskResult",
    "read_result_file",
    "write_result_file",
]
