"""The loop step: everything the engine's loop thread does in one ``run_once``.

A step drains the inbox (process exits and starts, cancellations, control requests), picks up
work from the store (runs to drive, queued runs to promote or end, orphaned runs), fires due
timers and plans ready tasks — all recorded in one :class:`Batch` and committed in one
transaction, together with the end of every run whose last task finished. Only then are
processes launched; what launching decided (tasks that failed to start, conditions after them,
the runs they finished) is the step's second Batch, committed only when it holds anything. A
steady step costs one transaction, a step whose launches fail at once two.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock
from brickyard.compute.process import ProcessExit, ProcessStarted, ProcessStartFailed
from brickyard.engine import recovery
from brickyard.engine.active_run import ActiveRun
from brickyard.engine.batch import Batch
from brickyard.engine.control import ControlRequest
from brickyard.engine.created_settings import CreatedSettings
from brickyard.engine.events import EngineEvent, EventBus
from brickyard.engine.finishing import finish_run
from brickyard.engine.identity import EngineIdentity
from brickyard.engine.inbox import Cancel, Inbox
from brickyard.engine.notebook_runs import NotebookRuns
from brickyard.engine.planning import TaskPlanning
from brickyard.engine.ports import ExecutorLookup, Launcher
from brickyard.engine.queueing import cancel_queued, promote_queued
from brickyard.engine.requests import RunRequest
from brickyard.engine.stopping import Stopper
from brickyard.engine.task_steps import TaskSteps
from brickyard.settings import Settings
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState

SCAN_INTERVAL_MS = 1000
"""How often the loop re-reads the store for work it was not told about (other processes)."""


@dataclass(frozen=True)
class LoopParts:
    """What the loop step is built from (the engine façade wires them)."""

    settings: Settings
    database: storage.Database
    clock: Clock
    events: EventBus
    identity: EngineIdentity
    inbox: Inbox
    launcher: Launcher
    executors: ExecutorLookup
    created: CreatedSettings
    submit: Callable[[RunRequest], storage.RunRecord]
    """Creates a run (a ``dbutils.notebook.run`` child) in its own transaction."""
    control_socket: Path | None
    """Where task processes ask for ``dbutils.notebook.run`` (None: no control socket)."""
    adopt_orphans: bool


class Loop:
    """The engine loop's state and its step; only the loop thread touches it."""

    def __init__(self, parts: LoopParts) -> None:
        self._parts = parts
        self.settings = parts.settings
        self.database = parts.database
        self.inbox = parts.inbox
        self.runs: dict[int, ActiveRun] = {}
        """The runs this loop drives, by run id."""
        self._ready: deque[tuple[int, int]] = deque()
        self._steps = TaskSteps(
            settings=parts.settings,
            executors=parts.executors,
            launcher=parts.launcher,
            ready=self._ready,
            control_socket=parts.control_socket,
        )
        self._planning = TaskPlanning(parts.settings, parts.executors, self._ready)
        self._stopper = Stopper(parts.launcher, self._ready)
        self._notebook_runs = NotebookRuns(database=parts.database, submit=parts.submit)
        self._last_scan_ms = 0
        self._last_heartbeat_ms = 0
        self._recovered = False

    def run_once(self) -> float:
        """One step: handle everything that is due. Returns seconds until the next timer."""
        now = self._parts.clock.now_ms()
        batch = Batch()
        scan = not self._recovered or now - self._last_scan_ms >= SCAN_INTERVAL_MS
        for item in self.inbox.drain():
            if isinstance(item, ProcessExit):
                self._steps.on_exit(self.runs, item, batch, now_ms=now)
            elif isinstance(item, ProcessStarted):
                self._steps.on_started(self.runs, item, batch, now_ms=now)
            elif isinstance(item, ProcessStartFailed):
                self._steps.on_start_failed(self.runs, item, batch, now_ms=now)
            elif isinstance(item, Cancel):
                self._cancel(item, batch, now)
            elif isinstance(item, ControlRequest):
                self._notebook_runs.accept(item)
                scan = True
            else:
                scan = True
        if scan:
            self._scan(batch, now)
        for run in list(self.runs.values()):
            self._stopper.fire_timers(run, batch, now_ms=now)
        for run in list(self.runs.values()):
            self._planning.plan(run, batch, now_ms=now)
        self._finish_runs(batch, now)
        self._heartbeat(batch, now)
        self._publish(batch.commit(self.database, now_ms=now))
        self._launch_and_finish(now)
        return self._next_delay(now)

    # --- picking up work from the store -------------------------------------------------

    def _scan(self, batch: Batch, now: int) -> None:
        """Pick up runs this engine owns but does not drive yet, cancellations written by other
        processes, queued runs that may start, and (once) orphaned runs."""
        self._last_scan_ms = now
        with self.database.read() as conn:
            active = storage.list_active_runs(conn)
        owner = self._parts.identity.owner
        for record in active:
            if record.run_id in self.runs:
                self._parts.created.forget(record.run_id)
                run = self.runs[record.run_id]
                if record.cancel_requested and not run.cancel_requested:
                    self._stopper.cancel(run, batch, now_ms=now, hard=False)
                continue
            if record.cancel_requested and record.life_cycle_state is LifeCycleState.QUEUED:
                cancel_queued(batch, record.run_id, now_ms=now)
            elif record.owner == owner:
                self._start_driving(record, batch, now)
            elif not self._recovered and recovery.is_orphaned(record, self._parts.identity, now):
                self._recover(record, batch, now)
        self._recovered = True
        promote_queued(
            batch,
            [r for r in active if r.life_cycle_state is LifeCycleState.QUEUED and r.owner == owner],
            settings_of=self._parts.created.peek,
            now_ms=now,
            on_promoted=self._scan_soon,
        )

    def _scan_soon(self) -> None:
        self._last_scan_ms = 0

    def _start_driving(self, record: storage.RunRecord, batch: Batch, now: int) -> None:
        if record.life_cycle_state is LifeCycleState.QUEUED:
            return
        with self.database.read() as conn:
            task_runs = storage.list_task_runs(conn, record.run_id)
            values = storage.read_task_values(conn, record.run_id)
        run = ActiveRun.load(record, task_runs, values, settings=self._parts.created.take(record))
        self.runs[run.run_id] = run
        if record.life_cycle_state is LifeCycleState.PENDING:
            batch.move_run(run, LifeCycleState.RUNNING, message="")
        run.drive_start_ms = now
        run.dirty.update(run.latest)
        for attempt in run.latest.values():
            if attempt.life_cycle is LifeCycleState.PENDING:
                self._ready.append((run.run_id, attempt.task_run_id))

    def _recover(self, record: storage.RunRecord, batch: Batch, now: int) -> None:
        # The claim is its own transaction: whether this engine owns the run decides
        # everything else, and another engine may claim it first.
        with self.database.transaction() as conn:
            claimed = storage.claim_run(
                conn,
                record.run_id,
                expected_owner=record.owner,
                owner=self._parts.identity.owner,
                lease_expires_at=self._lease_end(),
            )
            if claimed is None:
                return
            task_runs = storage.list_task_runs(conn, record.run_id)
            values = storage.read_task_values(conn, record.run_id)
        run = ActiveRun.load(claimed, task_runs, values)
        self.runs[run.run_id] = run
        run.drive_start_ms = now
        recovery.recover_run(
            run,
            batch,
            steps=self._steps,
            adopt=self._parts.adopt_orphans,
            previous_owner=record.owner,
            now_ms=now,
        )
        run.dirty.update(run.latest)
        for attempt in run.latest.values():
            if attempt.life_cycle is LifeCycleState.PENDING and attempt.pid is None:
                self._ready.append((run.run_id, attempt.task_run_id))

    # --- cancellation -------------------------------------------------------------------

    def _cancel(self, item: Cancel, batch: Batch, now: int) -> None:
        run = self.runs.get(item.run_id)
        if run is None:
            if item.task_run_id is None:
                cancel_queued(batch, item.run_id, now_ms=now)
            return
        if item.task_run_id is None:
            if not run.record.cancel_requested and not run.cancel_requested:
                batch.write(_cancel_requested(run.run_id))
            self._stopper.cancel(run, batch, now_ms=now, hard=item.hard)
        else:
            attempt = run.attempts.get(item.task_run_id)
            if attempt is not None:
                self._stopper.cancel_attempt(run, attempt, batch, now_ms=now)
        for child_run_id in self._notebook_runs.children(run, item.task_run_id):
            self.inbox.put(Cancel(child_run_id, None, item.hard))

    # --- launching and finishing --------------------------------------------------------

    def _launch_and_finish(self, now: int) -> None:
        launched = Batch()
        running = len(self._steps.pids) + len(self._steps.launching)
        # Condition tasks never reach the ready queue (the planner step evaluates them), so
        # everything here needs a process slot: stop at capacity without rescanning the rest.
        while self._ready and running < self.settings.max_parallel_tasks:
            run_id, task_run_id = self._ready.popleft()
            owner = self.runs.get(run_id)
            attempt = owner.attempts.get(task_run_id) if owner else None
            if owner is None or attempt is None or attempt.life_cycle is not LifeCycleState.PENDING:
                continue
            if self._steps.start(owner, attempt, launched, now_ms=now):
                running += 1
        for run in list(self.runs.values()):
            if run.dirty:
                # Inline tasks (conditions, failures to launch) finished: plan their dependents.
                self._planning.plan(run, launched, now_ms=now)
        self._finish_runs(launched, now)
        self._publish(launched.commit(self.database, now_ms=now))

    def _finish_runs(self, batch: Batch, now: int) -> None:
        # A run whose every task has finished ends in the same commit as its last task (a
        # retry being created still counts as unfinished, see ActiveRun.await_retry).
        for run in list(self.runs.values()):
            if run.is_finished() and run.record.life_cycle_state not in TERMINAL_LIFE_CYCLE:
                finish_run(run, batch, now_ms=now)
                batch.after_commit(self._finished(run))

    def _finished(self, run: ActiveRun) -> Callable[[], None]:
        def forget() -> None:
            del self.runs[run.run_id]
            self._notebook_runs.finished(run.record)
            self._scan_soon()  # a slot freed: queued runs may start

        return forget

    # --- upkeep -------------------------------------------------------------------------

    def _heartbeat(self, batch: Batch, now: int) -> None:
        if now - self._last_heartbeat_ms < self.settings.lease_seconds * 1000 / 3:
            return
        self._last_heartbeat_ms = now
        if self.runs:
            owner, lease_end = self._parts.identity.owner, self._lease_end()

            def renew(conn: Connection) -> tuple[()]:
                storage.renew_leases(conn, owner=owner, lease_expires_at=lease_end)
                return ()

            batch.write(renew)

    def _lease_end(self) -> int:
        return self._parts.clock.now_ms() + int(self.settings.lease_seconds * 1000)

    def _next_delay(self, now: int) -> float:
        running = len(self._steps.pids) + len(self._steps.launching)
        if self.inbox.has_waiting or (self._ready and running < self.settings.max_parallel_tasks):
            return 0.0
        # At capacity, ready tasks wait for an exit (an inbox event): no busy loop.
        deadlines = [self._last_scan_ms + SCAN_INTERVAL_MS]
        for run in self.runs.values():
            deadlines.extend(self._stopper.deadlines(run))
        return max(0.0, (min(deadlines) - now) / 1000)

    def _publish(self, events: Iterable[EngineEvent]) -> None:
        for event in events:
            self._parts.events.publish(event)


def _cancel_requested(run_id: int) -> Callable[[Connection], tuple[()]]:
    def write(conn: Connection) -> tuple[()]:
        storage.update_run(conn, run_id, cancel_requested=True)
        return ()

    return write
