"""Why a Spark driver (``spark-submit``) failed, read from its stderr: the Java exception line
and its stack trace, or spark-submit's own ``Error:`` line.

A driver's stderr is mostly Spark's log lines; the one line a user needs (``Exception in
thread "main" java.lang.IllegalStateException: no input``) is usually near the end, followed
by the ``at ...`` frames. That line becomes the task's error and ``state_message``, the frames
its ``error_trace``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNCAUGHT = re.compile(r'^Exception in thread "[^"]*" (?P<error>\S.*)$')
_EXCEPTION_LINE = re.compile(
    r"^(?:Caused by: )?(?P<error>(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error)\b.*)$"
)
_FRAME = re.compile(r"^\s+(?:at |\.\.\. \d+ more)|^Caused by: |^\s+Suppressed: ")
_LOG_LINE = re.compile(r"^\d{2}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} (?P<level>[A-Z]+) ")
"""Spark's log4j layout (``25/12/04 18:39:00 INFO SparkContext: ...``)."""
_SUBMIT_ERROR = "Error: "
_PYTHON_TRACEBACK = "Traceback (most recent call last):"
TRACE_LINES = 200
"""A trace longer than this (a deep Scala stack) is cut; the log keeps all of it."""
ERROR_CHARACTERS = 2000


@dataclass(frozen=True)
class DriverError:
    """The error of a failed driver: one line, and the trace it heads (if any)."""

    error: str
    trace: str | None = None


def driver_error(stderr: str, exit_status: int, stdout: str = "") -> DriverError:
    """The most telling error of a driver that exited with ``exit_status``: a Java exception
    in ``stderr``, else a Python traceback (a ``.py`` application's, which spark-submit
    writes to ``stdout``), else the exit status with the last ERROR log line."""
    found = _java_error(stderr.splitlines())
    if found is None:
        found = _python_error(stdout.splitlines()) or _python_error(stderr.splitlines())
    if found is not None:
        return found
    errors = [
        line
        for line in stderr.splitlines()
        if (match := _LOG_LINE.match(line)) and match["level"] == "ERROR"
    ]
    suffix = f": {_LOG_LINE.sub('', errors[-1]).strip()}" if errors else ""
    return DriverError(_short(f"the Spark driver {_exit(exit_status)}{suffix}"))


def _java_error(lines: list[str]) -> DriverError | None:
    for index in range(len(lines) - 1, -1, -1):
        match = _UNCAUGHT.match(lines[index])
        if match is not None:
            return DriverError(_short(match.group("error")), _trace(lines, index))
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.startswith(_SUBMIT_ERROR):
            return DriverError(_short(line[len(_SUBMIT_ERROR) :].strip()))
        match = _EXCEPTION_LINE.match(line)
        if match is not None and not line.startswith("Caused by: "):
            return DriverError(_short(match.group("error")), _trace(lines, index))
    return None


def _python_error(lines: list[str]) -> DriverError | None:
    """The last Python traceback: its final, unindented line is the error."""
    starts = [i for i, line in enumerate(lines) if line.startswith(_PYTHON_TRACEBACK)]
    if not starts:
        return None
    block = [lines[starts[-1]]]
    for line in lines[starts[-1] + 1 :]:
        block.append(line)
        if line and not line[0].isspace():
            break
    error = block[-1].strip() if len(block) > 1 else block[0]
    return DriverError(_short(error), "\n".join(block[-TRACE_LINES:]))


def _trace(lines: list[str], start: int) -> str:
    trace = [lines[start]]
    for line in lines[start + 1 :]:
        if not _FRAME.match(line):
            break
        trace.append(line)
        if len(trace) >= TRACE_LINES:
            trace.append("\t... (cut; the whole trace is in the task's stderr log)")
            break
    return "\n".join(trace)


def _exit(status: int) -> str:
    return f"was killed by signal {-status}" if status < 0 else f"exited with code {status}"


def _short(text: str) -> str:
    return text if len(text) <= ERROR_CHARACTERS else text[: ERROR_CHARACTERS - 3] + "..."
