"""Live progress of a run: one line per task state change (state, attempt, duration), the
running tasks with their elapsed time and last log line, then a summary table, each failed
task's error and where its full trace is, and where the logs and outputs are."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from brickyard import storage
from brickyard.cli.live_tasks import LiveTasks
from brickyard.engine import EngineEvent, RunChanged, TaskRunChanged
from brickyard.settings import Settings
from brickyard.states import LifeCycleState, ResultState

_STYLE_BY_RESULT = {
    ResultState.SUCCESS: "green",
    ResultState.SUCCESS_WITH_FAILURES: "yellow",
    ResultState.FAILED: "red",
    ResultState.TIMEDOUT: "red",
    ResultState.CANCELED: "magenta",
    ResultState.UPSTREAM_FAILED: "dim red",
    ResultState.UPSTREAM_CANCELED: "dim magenta",
    ResultState.EXCLUDED: "dim",
    ResultState.DISABLED: "dim",
    ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED: "yellow",
}
_SHOWN_STATES = {LifeCycleState.RUNNING, LifeCycleState.WAITING_FOR_RETRY}
_FAILED_RESULTS = {ResultState.FAILED, ResultState.TIMEDOUT}


def seconds(start_ms: int, end_ms: int) -> str:
    """A duration for people."""
    if not start_ms or not end_ms or end_ms < start_ms:
        return ""
    value = (end_ms - start_ms) / 1000
    return f"{value:.1f}s" if value < 60 else f"{int(value // 60)}m{int(value % 60):02d}s"


class ProgressPrinter:
    """An engine subscriber that prints task state changes of one run as they happen."""

    def __init__(self, console: Console, run_id: int) -> None:
        self.console = console
        self.run_id = run_id
        self._lock = threading.Lock()
        self._width = 24
        self.live = LiveTasks(console, self._lock)

    def set_task_keys(self, keys: Sequence[str]) -> None:
        """Align the task column to the longest key."""
        if keys:
            self._width = min(max(len(k) for k in keys), 40)
            self.live.key_width = self._width

    def start(self) -> None:
        """Show the running tasks (elapsed time, last log line) until :meth:`stop`."""
        self.live.start()

    def stop(self) -> None:
        """Stop showing the running tasks."""
        self.live.stop()

    def __call__(self, event: EngineEvent) -> None:
        if isinstance(event, TaskRunChanged) and event.job_run_id == self.run_id:
            self._task(event)
        elif (
            isinstance(event, RunChanged)
            and event.run_id == self.run_id
            and event.life_cycle_state is LifeCycleState.TERMINATING
        ):
            self.console.print(
                f"[magenta]Stopping run {event.run_id}: {escape(event.state_message)}"
            )

    def _task(self, event: TaskRunChanged) -> None:
        state = event.life_cycle_state
        if state is LifeCycleState.RUNNING:
            self.live.started(
                event.task_key, event.attempt_number, event.start_time, event.task_dir
            )
        else:
            self.live.ended(event.task_key)
        if event.result_state is None and state not in _SHOWN_STATES:
            return
        label = event.result_state.value if event.result_state else state.value
        style = _STYLE_BY_RESULT.get(event.result_state, "cyan") if event.result_state else "cyan"
        duration = seconds(event.start_time, event.end_time)
        detail = ""
        unsuccessful = event.result_state not in (None, ResultState.SUCCESS)
        if (unsuccessful and event.state_message) or state is LifeCycleState.WAITING_FOR_RETRY:
            detail = event.state_message
        key = f"{event.task_key:<{self._width}}"
        tail = f"attempt {event.attempt_number}  {duration:>7}"
        with self._lock:
            if not self.console.is_terminal:
                # Plain text for logs and pipes; rendering markup costs more than the task.
                line = f"  {key} {label:<22} {tail}{'  ' + detail if detail else ''}\n"
                self.console.file.write(line)
                return
            self.console.print(
                f"  {escape(key)} [{style}]{label:<22}[/{style}] {tail}"
                + (f"  [dim]{escape(detail)}[/dim]" if detail else ""),
                highlight=False,
                soft_wrap=True,
            )


def first_error_line(task_run: storage.TaskRunRecord) -> str:
    """The first line of a task's error (``ValueError: bad data in row 17``), or ''."""
    lines = (task_run.error or "").strip().splitlines()
    return lines[0] if lines else ""


def trace_files(task_run: storage.TaskRunRecord) -> list[tuple[str, Path]]:
    """Where a failed task's full trace is: its stderr log, and the executed notebook of a
    notebook task (the failing cell with its output), each with what it is."""
    if not task_run.task_dir:
        return []
    task_dir = Path(task_run.task_dir)
    stderr = task_dir / "stderr.log"
    found = [("full trace", stderr)] if stderr.is_file() and stderr.stat().st_size else []
    return found + [("executed notebook", path) for path in sorted(task_dir.glob("*.ipynb"))]


def _message(task_run: storage.TaskRunRecord) -> str:
    # The state message is Databricks' wording ("Workload failed, see run output for
    # details"); the summary shows what the run output would: the error itself.
    return first_error_line(task_run) or task_run.state_message


def _print_failures(console: Console, task_runs: Sequence[storage.TaskRunRecord]) -> None:
    for task_run in task_runs:
        error = first_error_line(task_run)
        if task_run.result_state not in _FAILED_RESULTS or not error:
            continue
        console.print(f"[red]{escape(task_run.task_key)}[/red]: {escape(error)}", highlight=False)
        for what, path in trace_files(task_run):
            console.print(f"  {what}: {path}", highlight=False, soft_wrap=True)


def print_summary(
    console: Console,
    run: storage.RunRecord,
    task_runs: Sequence[storage.TaskRunRecord],
    settings: Settings,
) -> None:
    """The table at the end of a run, its result, and where to look next."""
    latest: dict[str, storage.TaskRunRecord] = {}
    attempts: dict[str, int] = {}
    for task_run in task_runs:
        latest[task_run.task_key] = task_run
        attempts[task_run.task_key] = attempts.get(task_run.task_key, 0) + 1
    table = Table(title=f"Run {run.run_id}: {escape(run.run_name)}", title_justify="left")
    table.add_column("task")
    table.add_column("result")
    table.add_column("attempts", justify="right")
    table.add_column("duration", justify="right")
    table.add_column("message", overflow="fold")
    for key, task_run in latest.items():
        result = task_run.result_state
        style = _STYLE_BY_RESULT.get(result, "") if result else ""
        table.add_row(
            key,
            f"[{style}]{result.value if result else task_run.life_cycle_state.value}[/{style}]"
            if style
            else (result.value if result else task_run.life_cycle_state.value),
            str(attempts[key]),
            seconds(task_run.start_time, task_run.end_time),
            "" if result is ResultState.SUCCESS else escape(_message(task_run)),
        )
    console.print(table)
    _print_failures(console, list(latest.values()))
    result = run.result_state
    style = _STYLE_BY_RESULT.get(result, "") if result else ""
    verdict = result.value if result else run.life_cycle_state.value
    line = (
        f"Run {run.run_id} [{style}]{verdict}[/{style}]" if style else f"Run {run.run_id} {verdict}"
    )
    console.print(f"{line} in {seconds(run.start_time, run.end_time) or '0.0s'}", highlight=False)
    if run.state_message:
        console.print(f"  {escape(run.state_message)}", highlight=False)
    console.print(f"Logs:    {settings.runs_root / str(run.run_id)}", highlight=False)
    console.print(
        f"Outputs: {settings.dbfs_root} (dbfs:/), {settings.volumes_root} (/Volumes)",
        highlight=False,
    )
    console.print(
        f"More:    brickyard runs logs {run.run_id} --task KEY"
        f"   |   brickyard runs get {run.run_id}",
        highlight=False,
    )
