"""Reading a running task's log files as they grow: the last line it logged (the live progress)
and ``brickyard runs logs RUN --task KEY --follow``."""

from __future__ import annotations

import codecs
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from brickyard import storage
from brickyard.errors import NotFoundError
from brickyard.states import TERMINAL_LIFE_CYCLE
from brickyard.task_protocol import TaskFiles

_TAIL_BYTES = 4096
_LINE_WIDTH = 160


def last_log_line(task_dir: Path) -> str:
    """The last non-blank line of the task's stdout or stderr, whichever was written last.

    Reads at most the last 4 KiB of each file, so it stays cheap on any log size.
    """
    written: list[tuple[int, Path, int]] = []
    files = TaskFiles.of(task_dir)
    for log in (files.stdout, files.stderr):
        try:
            stat = log.stat()
        except OSError:
            continue
        if stat.st_size:
            written.append((stat.st_mtime_ns, log, stat.st_size))
    for _, path, size in sorted(written, reverse=True):
        try:
            with path.open("rb") as file:
                file.seek(max(0, size - _TAIL_BYTES))
                text = file.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            last = lines[-1]
            return last if len(last) <= _LINE_WIDTH else last[: _LINE_WIDTH - 1] + "…"
    return ""


class LogTail:
    """The new text of one log file since the last read (none while it does not exist)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        # Incremental: a UTF-8 character split across two reads is decoded once whole.
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def read_new(self) -> str:
        """What was appended since the previous call."""
        try:
            with self.path.open("rb") as file:
                file.seek(self._offset)
                data = file.read()
        except OSError:
            return ""
        self._offset += len(data)
        return self._decoder.decode(data)


def follow_task_logs(
    database: storage.Database,
    run_id: int,
    task_key: str,
    *,
    poll_seconds: float = 0.25,
    out: TextIO | None = None,
    err: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> storage.TaskRunRecord:
    """Copy the task's stdout and stderr to ``out``/``err`` as they grow, following each new
    attempt (a retry), until its latest attempt has ended; return that attempt."""
    out = out or sys.stdout
    err = err or sys.stderr
    tails: dict[int, tuple[LogTail, LogTail]] = {}
    while True:
        task_run = _latest_attempt(database, run_id, task_key)
        if task_run.task_dir and task_run.run_id not in tails:
            if tails:
                out.write(f"== {task_key}: attempt {task_run.attempt_number}\n")
            files = TaskFiles.of(Path(task_run.task_dir))
            tails[task_run.run_id] = (LogTail(files.stdout), LogTail(files.stderr))
        # Read after the state: a process writes its last lines before its attempt ends, so
        # the read that follows seeing the end has them all.
        for stdout_tail, stderr_tail in tails.values():
            _copy(stdout_tail.read_new(), out)
            _copy(stderr_tail.read_new(), err)
        if task_run.life_cycle_state in TERMINAL_LIFE_CYCLE:
            return task_run
        sleep(poll_seconds)


def _copy(text: str, stream: TextIO) -> None:
    if text:
        stream.write(text)
        stream.flush()


def _latest_attempt(
    database: storage.Database, run_id: int, task_key: str
) -> storage.TaskRunRecord:
    with database.read() as conn:
        attempts = [tr for tr in storage.list_task_runs(conn, run_id) if tr.task_key == task_key]
    if not attempts:
        raise NotFoundError(f"run {run_id} has no task {task_key!r}")
    return max(attempts, key=lambda tr: (tr.attempt_number, tr.run_id))
