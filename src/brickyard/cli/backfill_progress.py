"""Driving a backfill in the foreground: a header, one line per state change of each run (with
its interval and duration), Ctrl-C to cancel every run still active (twice to stop at once),
and a summary with the counts by result and the runs that did not succeed."""

from __future__ import annotations

import signal
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Final

from rich.console import Console
from rich.markup import escape

from brickyard import storage
from brickyard.app import Services
from brickyard.cli.errors import EXIT_FAILED
from brickyard.cli.job_refs import job_label
from brickyard.cli.progress import seconds
from brickyard.engine import EngineEvent, RunChanged
from brickyard.states import SUCCESSFUL_RESULTS, TERMINAL_LIFE_CYCLE, LifeCycleState
from brickyard.triggers.backfill import BackfillPlan, format_time

_SHOWN: Final = frozenset({LifeCycleState.QUEUED, LifeCycleState.RUNNING})
"""Non-final states worth a line (PENDING lasts a moment; TERMINATING is shown with its
reason)."""

_STYLES: Final = {"SUCCESS": "green", "SUCCESS_WITH_FAILURES": "yellow", "CANCELED": "magenta"}
"""Colours of results on a terminal; other results are red, states on the way cyan."""

_SUCCESSFUL_LABELS: Final = frozenset(result.value for result in SUCCESSFUL_RESULTS)
_ACTIVE_LABELS: Final = frozenset(state.value for state in LifeCycleState) - {
    state.value for state in TERMINAL_LIFE_CYCLE
}


def describe_plan(plan: BackfillPlan) -> str:
    """``Backfill of job 7 'x': 6 runs from ... to ..., 1 at a time``."""
    zone = plan.schedule.zone
    count = len(plan.starts)
    limit = plan.max_concurrent_runs
    pace = (
        f"{limit} at a time" if limit > 0 else "max_concurrent_runs is 0, so every run is skipped"
    )
    return (
        f"Backfill of {job_label(plan.job)}: {count} run{'s' if count != 1 else ''} "
        f"from {format_time(plan.from_ms, zone)} to {format_time(plan.to_ms, zone)}, {pace}"
    )


class BackfillProgress:
    """An engine subscriber that prints the state changes of a backfill's runs."""

    def __init__(
        self,
        console: Console,
        plan: BackfillPlan,
        runs: Sequence[storage.RunRecord],
        now_ms: Callable[[], int],
    ) -> None:
        self.console = console
        self.run_ids = [run.run_id for run in runs]
        zone = plan.schedule.zone
        self._intervals = {
            run.run_id: format_time(start, zone)
            for run, start in zip(runs, plan.starts, strict=True)
        }
        self._active = {
            run.run_id for run in runs if run.life_cycle_state not in TERMINAL_LIFE_CYCLE
        }
        self._running_since: dict[int, int] = {}
        self._now_ms = now_ms
        self._id_width = max(len(str(run_id)) for run_id in self.run_ids)
        self._lock = threading.Lock()

    def active_run_ids(self) -> list[int]:
        """The runs that have not finished yet."""
        return sorted(self._active)

    def show_created(self, runs: Sequence[storage.RunRecord]) -> None:
        """The runs that did not start at once: queued (with the reason) or skipped."""
        for run in runs:
            state = run.life_cycle_state
            if state is LifeCycleState.QUEUED or state in TERMINAL_LIFE_CYCLE:
                label = run.result_state.value if run.result_state else state.value
                self._line(run.run_id, label, run.state_message)

    def __call__(self, event: EngineEvent) -> None:
        if not isinstance(event, RunChanged) or event.run_id not in self._intervals:
            return
        state = event.life_cycle_state
        if state is LifeCycleState.RUNNING:
            self._running_since[event.run_id] = self._now_ms()
        if state in TERMINAL_LIFE_CYCLE:
            self._active.discard(event.run_id)
            label = event.result_state.value if event.result_state else state.value
            started = self._running_since.get(event.run_id)
            duration = seconds(started, self._now_ms()) if started else ""
            detail = event.state_message if label not in _SUCCESSFUL_LABELS else ""
            self._line(event.run_id, label, "  ".join(p for p in (duration, detail) if p))
        elif state in _SHOWN or state is LifeCycleState.TERMINATING:
            self._line(event.run_id, state.value, event.state_message)

    def _line(self, run_id: int, label: str, detail: str) -> None:
        head = f"  run {run_id:<{self._id_width}}  {self._intervals[run_id]}  "
        with self._lock:
            if not self.console.is_terminal:
                # plain text for logs and pipes
                line = f"{head}{label:<22}  {detail}".rstrip()
                self.console.file.write(line + "\n")
                self.console.file.flush()
                return
            style = _STYLES.get(label, "cyan" if label in _ACTIVE_LABELS else "red")
            self.console.print(
                f"{escape(head)}[{style}]{label:<22}[/{style}]"
                + (f"  [dim]{escape(detail)}[/dim]" if detail else ""),
                highlight=False,
                soft_wrap=True,
            )


def drive_backfill(
    services: Services, progress: BackfillProgress, console: Console
) -> list[storage.RunRecord]:
    """Run the engine in this thread until every run of the backfill has finished; Ctrl-C
    cancels the active ones (queued runs end at once). Returns the final records in order."""
    interrupts = 0

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal interrupts
        interrupts += 1
        hard = interrupts > 1
        active = progress.active_run_ids()
        console.print(
            f"[magenta]Stopping now: killing every task of {len(active)} runs[/magenta]"
            if hard
            else f"[magenta]Cancelling {len(active)} backfill runs: running tasks are stopped, "
            "cleanup tasks still run (Ctrl-C again to stop at once)[/magenta]"
        )
        for run_id in active:
            # only queues the request: a signal handler must not touch the store
            services.engine.interrupt(run_id, hard=hard)

    services.events.subscribe(progress)
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        # Waiting for each run in turn drives all of them: the loop serves every run this
        # engine owns, and promotes the queued ones as slots free up.
        return [services.engine.wait_for(run_id) for run_id in progress.run_ids]
    finally:
        signal.signal(signal.SIGINT, previous)
        services.events.unsubscribe(progress)


def print_backfill_summary(
    console: Console,
    plan: BackfillPlan,
    finals: Sequence[storage.RunRecord],
    elapsed_ms: int,
) -> int:
    """Counts by result and the runs that did not succeed; returns the exit code (0 when every
    run succeeded)."""
    counts = Counter(
        run.result_state.value if run.result_state else run.life_cycle_state.value for run in finals
    )
    verdicts = ", ".join(f"{count} {label}" for label, count in counts.most_common())
    console.print(
        f"Backfill of {escape(job_label(plan.job))} finished in "
        f"{_duration(elapsed_ms)}: {verdicts}",
        highlight=False,
    )
    zone = plan.schedule.zone
    starts = dict(zip((run.run_id for run in finals), plan.starts, strict=True))
    failed = [run for run in finals if run.result_state not in SUCCESSFUL_RESULTS]
    for run in failed:
        verdict = run.result_state.value if run.result_state else run.life_cycle_state.value
        console.print(
            f"  run {run.run_id} ({format_time(starts[run.run_id], zone)}): {verdict}"
            + (f"  {escape(run.state_message)}" if run.state_message else ""),
            highlight=False,
        )
    if failed:
        ids = " ".join(str(run.run_id) for run in failed)
        console.print(
            f"Failed runs: {ids}   |   brickyard runs logs {failed[0].run_id}", highlight=False
        )
        return EXIT_FAILED
    return 0


def _duration(ms: int) -> str:
    value = max(0, ms) / 1000
    return f"{value:.1f}s" if value < 60 else f"{int(value // 60)}m{int(value % 60):02d}s"
