"""The tasks of a run that are running now, for the live progress: how long each has run and
the last line it logged.

On a terminal they are a live block under the progress lines, redrawn twice a second. In a log
or a pipe a redrawn block is noise, so a task gets a plain line instead once it has run a
while: when it logs something new (at most every ``NEW_LINE_SECONDS``), and every
``QUIET_SECONDS`` when it is silent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from brickyard.cli.task_logs import last_log_line

REFRESH_SECONDS = 0.5
NEW_LINE_SECONDS = 2.0
QUIET_SECONDS = 30.0


def elapsed(seconds: float) -> str:
    """A running time for people: ``4.2s``, ``3m07s``, ``1h02m``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}m{int(seconds % 60):02d}s"
    return f"{minutes // 60}h{minutes % 60:02d}m"


@dataclass
class _Running:
    key: str
    attempt: int
    started: float
    task_dir: Path | None
    last_line: str = ""
    printed_line: str = ""
    printed_at: float = 0.0


@dataclass(frozen=True)
class RunningTask:
    """One running task as shown: its key, attempt, seconds running and last log line."""

    key: str
    attempt: int
    seconds: float
    last_line: str


class LiveTasks:
    """Tracks the running tasks of one run and shows them while it runs (see the module)."""

    def __init__(
        self,
        console: Console,
        lock: threading.Lock,
        *,
        key_width: int = 24,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.console = console
        self.key_width = key_width
        # Two locks: the printer's (whole lines never interleave) and this object's own for
        # the task table, which the live block reads while the printer prints (rich redraws
        # the block inside console.print, so sharing one lock would deadlock).
        self._print_lock = lock
        self._tasks_lock = threading.Lock()
        self._clock = clock
        self._tasks: dict[str, _Running] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: Live | None = None

    def started(self, key: str, attempt: int, start_ms: int, task_dir: str | None) -> None:
        """A task attempt is running (``start_ms`` 0: it started now)."""
        started = start_ms / 1000 if start_ms else self._clock()
        running = _Running(key, attempt, started, Path(task_dir) if task_dir else None)
        running.printed_at = started
        with self._tasks_lock:
            self._tasks[key] = running

    def ended(self, key: str) -> None:
        """The task is no longer running (it ended, or waits for a retry)."""
        with self._tasks_lock:
            self._tasks.pop(key, None)

    def snapshot(self) -> list[RunningTask]:
        """The running tasks now, their last log lines read afresh."""
        now = self._clock()
        with self._tasks_lock:
            tasks = list(self._tasks.values())
        for task in tasks:
            if task.task_dir is not None:
                task.last_line = last_log_line(task.task_dir)
        return [RunningTask(t.key, t.attempt, now - t.started, t.last_line) for t in tasks]

    def start(self) -> None:
        """Show the running tasks until :meth:`stop`."""
        if self.console.is_terminal:
            self._live = Live(
                get_renderable=self._render,
                console=self.console,
                refresh_per_second=1 / REFRESH_SECONDS,
                transient=True,
            )
            self._live.start()
            return
        self._thread = threading.Thread(target=self._print_loop, name="brickyard-live", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop showing them (the live block is erased)."""
        self._stop.set()
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def _render(self) -> RenderableType:
        table = Table.grid(padding=(0, 1))
        for task in self.snapshot():
            table.add_row(
                f"  {escape(task.key):<{self.key_width}}",
                f"[cyan]running {elapsed(task.seconds):>7}[/cyan]",
                f"[dim]{escape(task.last_line)}[/dim]",
            )
        return table

    def _print_loop(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            self._print_due()

    def _print_due(self) -> None:
        now = self._clock()
        with self._tasks_lock:
            tasks = list(self._tasks.values())
        for task in tasks:
            since = now - task.printed_at
            if now - task.started < NEW_LINE_SECONDS or since < NEW_LINE_SECONDS:
                continue
            line = last_log_line(task.task_dir) if task.task_dir else ""
            if line == task.printed_line and since < QUIET_SECONDS:
                continue
            task.printed_line, task.printed_at = line, now
            text = f"  {task.key:<{self.key_width}} {'running':<22} attempt {task.attempt}  "
            text += f"{elapsed(now - task.started):>7}" + (f"  | {line}" if line else "")
            with self._print_lock:
                if self._tasks.get(task.key) is task:
                    self.console.file.write(text + "\n")
                    self.console.file.flush()
