"""The run engine: one loop that drives every run this process owns.

Callers (the CLI, the API) write requests to the store and wake the loop; only the loop thread
touches in-memory run state. Each step drains the inbox (process exits, wake-ups, control
requests), fires due timers (timeouts, retries), plans ready tasks with the pure planner,
commits every decision in one transaction, and only then launches processes and publishes
events. A crash at any point leaves the store consistent; :mod:`brickyard.engine.recovery`
picks the pieces up.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock
from brickyard.compute.process import ProcessEvent, ProcessExit, ProcessStarted, ProcessStartFailed
from brickyard.engine import recovery
from brickyard.engine.active_run import ActiveRun
from brickyard.engine.batch import Batch
from brickyard.engine.control import ControlRequest, ControlServer
from brickyard.engine.events import EngineEvent, EventBus, RunChanged
from brickyard.engine.finishing import finish_run
from brickyard.engine.identity import EngineIdentity
from brickyard.engine.ports import ExecutorLookup, Launcher
from brickyard.engine.repair import create_repair
from brickyard.engine.requests import RepairRequest, RunRequest
from brickyard.engine.stopping import Stopper
from brickyard.engine.submission import create_run
from brickyard.engine.task_steps import TaskSteps
from brickyard.settings import Settings
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState, ResultState

logger = logging.getLogger(__name__)

SCAN_INTERVAL_MS = 1000
"""How often the loop re-reads the store for work it was not told about (other processes)."""

SERVE_RETRY_SECONDS = 1.0
"""The pause after a failed step of :meth:`Engine.serve` before the next one."""


@dataclass(frozen=True)
class _Wake:
    """New work is in the store."""


@dataclass(frozen=True)
class _Cancel:
    run_id: int
    task_run_id: int | None
    hard: bool


_InboxItem = ProcessEvent | _Wake | _Cancel | ControlRequest
LauncherFactory = Callable[[Settings, Callable[[ProcessEvent], None]], Launcher]
"""Builds the launcher, given where to report process exits."""


class Engine:
    """Drives runs: create, plan, launch, retry, time out, cancel, repair, recover."""

    def __init__(
        self,
        *,
        settings: Settings,
        database: storage.Database,
        executors: ExecutorLookup,
        launcher_factory: LauncherFactory,
        clock: Clock,
        events: EventBus | None = None,
        adopt_orphans: bool = False,
        control_socket: bool = True,
    ) -> None:
        self.settings = settings
        self.database = database
        self.clock = clock
        self.events = events or EventBus()
        self.identity = EngineIdentity.current()
        self._inbox: queue.SimpleQueue[_InboxItem] = queue.SimpleQueue()
        self._peeked: _InboxItem | None = None
        self._launcher = launcher_factory(settings, self._inbox.put)
        self._adopt_orphans = adopt_orphans
        self._runs: dict[int, ActiveRun] = {}
        self._ready: deque[tuple[int, int]] = deque()
        self._last_scan_ms = 0
        self._last_heartbeat_ms = 0
        self._control = ControlServer(self._inbox.put) if control_socket else None
        self._steps = TaskSteps(
            settings=settings,
            database=database,
            executors=executors,
            launcher=self._launcher,
            ready=self._ready,
            control_socket=self._control.path if self._control else None,
        )
        self._stopper = Stopper(self._launcher, self._ready)
        self._waiters: dict[int, ControlRequest] = {}
        self._recovered = False

    # --- requests from any thread -------------------------------------------------------

    def submit(self, request: RunRequest) -> storage.RunRecord:
        """Create a run (or return the one its idempotency token made) and wake the loop."""
        with self.database.transaction() as conn:
            run = self.create_run(conn, request)
        self._inbox.put(_Wake())
        return run

    def create_run(self, conn: Connection, request: RunRequest) -> storage.RunRecord:
        """Create a run owned by this engine inside the caller's transaction (a trigger
        records its fire in the same one); call :meth:`wake` once it has committed."""
        return create_run(
            conn, request, settings=self.settings, clock=self.clock, owner=self.identity.owner
        )

    def repair(self, request: RepairRequest) -> storage.RepairRecord:
        """Store a repair of a finished run (which leaves its terminal state at once)."""
        with self.database.transaction() as conn:
            repair = create_repair(conn, request, settings=self.settings, clock=self.clock)
            storage.update_run(
                conn,
                request.run_id,
                owner=self.identity.owner,
                lease_expires_at=self._lease_end(),
            )
        self._inbox.put(_Wake())
        return repair

    def cancel_run(self, run_id: int, *, hard: bool = False) -> None:
        """Cancel a run: running tasks are killed, cleanup (ALL_DONE) tasks still run unless
        ``hard``."""
        with self.database.transaction() as conn:
            run = storage.read_run(conn, run_id)
            if run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
                storage.update_run(conn, run_id, cancel_requested=True)
        self._inbox.put(_Cancel(run_id, None, hard))

    def interrupt(self, run_id: int, *, hard: bool = False) -> None:
        """Cancel a run from a signal handler: only queues the request (no store access), the
        loop records it."""
        self._inbox.put(_Cancel(run_id, None, hard))

    def cancel_task_run(self, task_run_id: int) -> None:
        """Cancel one task run; its dependents see UPSTREAM_CANCELED (cleanup tasks still run)."""
        with self.database.transaction() as conn:
            task_run = storage.read_task_run(conn, task_run_id)
            if task_run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
                storage.update_task_run(conn, task_run_id, cancel_requested=True)
        self._inbox.put(_Cancel(task_run.job_run_id, task_run_id, False))

    def recover_orphans(self) -> None:
        """Settle runs whose engine is gone (adopting or ending them) without waiting for
        anything else."""
        self.run_once()

    def wake(self) -> None:
        """Make the loop look at the store now (new work, or time to stop)."""
        self._inbox.put(_Wake())

    # --- the loop -----------------------------------------------------------------------

    def serve(self, stop: threading.Event) -> None:
        """Drive every run in this thread until ``stop`` is set (then :meth:`wake`).

        A long-lived engine (the server) runs this. A step that fails (the database went
        away, say) is logged and retried after a pause: the loop must outlive it, and the
        store still holds everything needed to go on.
        """
        while not stop.is_set():
            try:
                delay = self.run_once()
            except Exception:
                logger.exception("engine step failed; retrying in %.0f s", SERVE_RETRY_SECONDS)
                stop.wait(SERVE_RETRY_SECONDS)
                continue
            if not stop.is_set():
                self._wait_for_inbox(delay)

    def wait_for(self, run_id: int, stop: threading.Event | None = None) -> storage.RunRecord:
        """Drive the loop in this thread until run ``run_id`` has finished."""
        while True:
            delay = self.run_once()
            if run_id not in self._runs or (stop is not None and stop.is_set()):
                with self.database.read() as conn:
                    run = storage.read_run(conn, run_id)
                if run.life_cycle_state in TERMINAL_LIFE_CYCLE or (stop and stop.is_set()):
                    return run
            self._wait_for_inbox(delay)

    def run_once(self) -> float:
        """One step: handle everything that is due. Returns seconds until the next timer."""
        now = self.clock.now_ms()
        batch = Batch()
        scan = not self._recovered or now - self._last_scan_ms >= SCAN_INTERVAL_MS
        for item in self._drain():
            if isinstance(item, ProcessExit):
                self._steps.on_exit(self._runs, item, batch, now_ms=now)
            elif isinstance(item, ProcessStarted):
                self._steps.on_started(self._runs, item, batch, now_ms=now)
            elif isinstance(item, ProcessStartFailed):
                self._steps.on_start_failed(self._runs, item, batch, now_ms=now)
            elif isinstance(item, _Cancel):
                self._cancel(item, batch, now)
            elif isinstance(item, ControlRequest):
                self._control_request(item)
                scan = True
            else:
                scan = True
        if scan:
            self._scan(batch, now)
        for run in list(self._runs.values()):
            self._stopper.fire_timers(run, batch, now_ms=now)
        self._plan_and_launch(batch, now)
        self._finish_runs(now)
        if now - self._last_heartbeat_ms >= self.settings.lease_seconds * 1000 / 3:
            self._heartbeat(now)
        return self._next_delay(now)

    def close(self) -> None:
        """Stop the control socket and the launcher; task processes keep running."""
        if self._control is not None:
            self._control.close()
        self._launcher.close()

    # --- steps --------------------------------------------------------------------------

    def _drain(self) -> Iterable[_InboxItem]:
        if self._peeked is not None:
            item, self._peeked = self._peeked, None
            yield item
        while True:
            try:
                yield self._inbox.get_nowait()
            except queue.Empty:
                return

    def _wait_for_inbox(self, delay: float) -> None:
        # Keep the item aside rather than putting it back: re-queueing it would let a later
        # event (a task's exit) overtake it (that task's start).
        if self._peeked is not None:
            return
        try:
            self._peeked = self._inbox.get(timeout=max(0.0, delay))
        except queue.Empty:
            return

    def _lease_end(self) -> int:
        return self.clock.now_ms() + int(self.settings.lease_seconds * 1000)

    def _scan(self, batch: Batch, now: int) -> None:
        """Pick up runs this engine owns but does not drive yet, cancellations written by other
        processes, queued runs that may start, and (once) orphaned runs."""
        self._last_scan_ms = now
        with self.database.read() as conn:
            active = storage.list_active_runs(conn)
        for record in active:
            if record.run_id in self._runs:
                run = self._runs[record.run_id]
                if record.cancel_requested and not run.cancel_requested:
                    self._stopper.cancel(run, batch, now_ms=now, hard=False)
                continue
            if record.cancel_requested and record.life_cycle_state is LifeCycleState.QUEUED:
                self._cancel_queued(record.run_id, now)
            elif record.owner == self.identity.owner:
                self._start_driving(record, batch, now)
            elif not self._recovered and recovery.is_orphaned(record, self.identity, now):
                self._recover(record, batch, now)
        self._recovered = True
        self._promote_queued(active, now)

    def _start_driving(self, record: storage.RunRecord, batch: Batch, now: int) -> None:
        if record.life_cycle_state is LifeCycleState.QUEUED:
            return
        with self.database.read() as conn:
            task_runs = storage.list_task_runs(conn, record.run_id)
            values = storage.read_task_values(conn, record.run_id)
        run = ActiveRun.load(record, task_runs, values)
        self._runs[run.run_id] = run
        if record.life_cycle_state is LifeCycleState.PENDING:
            with self.database.transaction() as conn:
                run.record = storage.transition_run(
                    conn,
                    run.run_id,
                    expected=LifeCycleState.PENDING,
                    to=LifeCycleState.RUNNING,
                    message="",
                    now_ms=now,
                )
            self.events.publish(_run_changed(run.record))
        run.drive_start_ms = now
        run.dirty.update(run.latest)
        for attempt in run.latest.values():
            if attempt.life_cycle is LifeCycleState.PENDING:
                self._ready.append((run.run_id, attempt.task_run_id))

    def _recover(self, record: storage.RunRecord, batch: Batch, now: int) -> None:
        with self.database.transaction() as conn:
            claimed = storage.claim_run(
                conn,
                record.run_id,
                expected_owner=record.owner,
                owner=self.identity.owner,
                lease_expires_at=self._lease_end(),
            )
            if claimed is None:
                return
            task_runs = storage.list_task_runs(conn, record.run_id)
            values = storage.read_task_values(conn, record.run_id)
        run = ActiveRun.load(claimed, task_runs, values)
        self._runs[run.run_id] = run
        run.drive_start_ms = now
        recovery.recover_run(
            run,
            batch,
            steps=self._steps,
            adopt=self._adopt_orphans,
            previous_owner=record.owner,
            now_ms=now,
        )
        run.dirty.update(run.latest)
        for attempt in run.latest.values():
            if attempt.life_cycle is LifeCycleState.PENDING and attempt.pid is None:
                self._ready.append((run.run_id, attempt.task_run_id))

    def _promote_queued(self, active: list[storage.RunRecord], now: int) -> None:
        queued = [r for r in active if r.life_cycle_state is LifeCycleState.QUEUED]
        for record in sorted(queued, key=lambda r: r.run_id):
            if record.owner != self.identity.owner or record.job_id is None:
                continue
            if record.cancel_requested:
                continue  # ended by the scan that listed it
            with self.database.transaction() as conn:
                storage.lock_job(conn, record.job_id)
                limit = int(record.settings.get("max_concurrent_runs", 1))
                if storage.count_active_runs(conn, record.job_id) >= limit:
                    continue
                promoted = storage.transition_run(
                    conn,
                    record.run_id,
                    expected=LifeCycleState.QUEUED,
                    to=LifeCycleState.PENDING,
                    message="",
                    now_ms=now,
                    changes={"queue_duration": now - record.created_time, "queue_reason": None},
                )
            self.events.publish(_run_changed(promoted))
            self._inbox.put(_Wake())

    def _cancel(self, item: _Cancel, batch: Batch, now: int) -> None:
        run = self._runs.get(item.run_id)
        if run is None:
            if item.task_run_id is None:
                self._cancel_queued(item.run_id, now)
            return
        if item.task_run_id is None:
            if not run.record.cancel_requested:
                run_id = run.run_id
                batch.run_writes.append(
                    lambda conn: storage.update_run(conn, run_id, cancel_requested=True)
                )
            self._stopper.cancel(run, batch, now_ms=now, hard=item.hard)
        else:
            attempt = run.attempts.get(item.task_run_id)
            if attempt is not None:
                self._stopper.cancel_attempt(run, attempt, batch, now_ms=now)
        for child_run_id, waiter in list(self._waiters.items()):
            if waiter.parent_task_run_id in run.attempts and (
                item.task_run_id in (None, waiter.parent_task_run_id)
            ):
                self.cancel_run(child_run_id, hard=item.hard)

    def _cancel_queued(self, run_id: int, now: int) -> None:
        """End a run still waiting in the queue: nothing of it ever started."""
        with self.database.transaction() as conn:
            record = storage.read_run(conn, run_id)
            if record.life_cycle_state is not LifeCycleState.QUEUED:
                return
            message = "Run canceled while queued."
            storage.transition_task_runs(
                conn,
                [
                    storage.TaskRunTransition(
                        task_run_id=task_run.run_id,
                        expected=task_run.life_cycle_state,
                        to=LifeCycleState.TERMINATED,
                        result=ResultState.CANCELED,
                        message=message,
                        user_cancelled_or_timedout=True,
                        job_run_id=run_id,
                    )
                    for task_run in storage.list_task_runs(conn, run_id)
                    if task_run.life_cycle_state not in TERMINAL_LIFE_CYCLE
                ],
                now_ms=now,
            )
            ended = storage.transition_run(
                conn,
                run_id,
                expected=LifeCycleState.QUEUED,
                to=LifeCycleState.TERMINATED,
                result=ResultState.CANCELED,
                message=message,
                now_ms=now,
                user_cancelled_or_timedout=True,
                changes={"queue_reason": None, "cancel_requested": True},
            )
        self.events.publish(_run_changed(ended))

    def _plan_and_launch(self, batch: Batch, now: int) -> None:
        for run in list(self._runs.values()):
            self._steps.plan(run, batch, now_ms=now)
        self._publish(batch.commit(self.database, now_ms=now))
        launched = Batch()
        running = len(self._steps.pids) + len(self._steps.launching)
        # Condition tasks never reach the ready queue (the planner step evaluates them), so
        # everything here needs a process slot: stop at capacity without rescanning the rest.
        while self._ready and running < self.settings.max_parallel_tasks:
            run_id, task_run_id = self._ready.popleft()
            owner = self._runs.get(run_id)
            attempt = owner.attempts.get(task_run_id) if owner else None
            if owner is None or attempt is None or attempt.life_cycle is not LifeCycleState.PENDING:
                continue
            if self._steps.start(owner, attempt, launched, now_ms=now):
                running += 1
        self._publish(launched.commit(self.database, now_ms=now))
        for run in list(self._runs.values()):
            if run.dirty:
                # Inline tasks (conditions, failures to launch) finished: plan their dependents.
                self._steps.plan(run, launched, now_ms=now)
        if launched:
            self._publish(launched.commit(self.database, now_ms=now))
            if self._ready:
                self._inbox.put(_Wake())

    def _finish_runs(self, now: int) -> None:
        for run in list(self._runs.values()):
            if not run.is_finished():
                continue
            record = finish_run(self.database, run, now_ms=now)
            del self._runs[run.run_id]
            self.events.publish(_run_changed(record))
            waiter = self._waiters.pop(run.run_id, None)
            if waiter is not None:
                self._reply_child(waiter, record)
            self._last_scan_ms = 0  # a slot freed: queued runs may start

    def _heartbeat(self, now: int) -> None:
        self._last_heartbeat_ms = now
        if self._runs:
            with self.database.transaction() as conn:
                storage.renew_leases(
                    conn,
                    owner=self.identity.owner,
                    lease_expires_at=self._lease_end(),
                )

    def _next_delay(self, now: int) -> float:
        running = len(self._steps.pids) + len(self._steps.launching)
        if self._peeked is not None or (self._ready and running < self.settings.max_parallel_tasks):
            return 0.0
        # At capacity, ready tasks wait for an exit (an inbox event): no busy loop.
        deadlines = [self._last_scan_ms + SCAN_INTERVAL_MS]
        for run in self._runs.values():
            deadlines.extend(self._stopper.deadlines(run))
        return max(0.0, (min(deadlines) - now) / 1000)

    def _publish(self, events: Iterable[EngineEvent]) -> None:
        for event in events:
            self.events.publish(event)

    # --- dbutils.notebook.run -----------------------------------------------------------

    def _control_request(self, request: ControlRequest) -> None:
        try:
            run_request = request.to_run_request()
            run = self.submit(run_request)
        except Exception as error:  # reported to the calling task, never raised in the loop
            request.reply({"ok": False, "run_id": None, "error": str(error)})
            return
        self._waiters[run.run_id] = request

    def _reply_child(self, request: ControlRequest, record: storage.RunRecord) -> None:
        with self.database.read() as conn:
            task_runs = storage.list_task_runs(conn, record.run_id)
        exit_value = task_runs[-1].exit_value if task_runs else None
        if record.result_state is ResultState.SUCCESS:
            request.reply({"ok": True, "run_id": record.run_id, "result": exit_value})
            return
        error = task_runs[-1].error if task_runs and task_runs[-1].error else record.state_message
        if record.result_state is ResultState.TIMEDOUT:
            error = f"Notebook run timed out: {error}"
        request.reply({"ok": False, "run_id": record.run_id, "error": error})


def _run_changed(record: storage.RunRecord) -> RunChanged:
    return RunChanged(
        run_id=record.run_id,
        job_id=record.job_id,
        life_cycle_state=record.life_cycle_state,
        result_state=record.result_state,
        state_message=record.state_message,
        start_time=record.start_time,
        end_time=record.end_time,
    )
