"""The run engine: the thread-safe requests callers make, and the loop thread that serves them.

Callers (the CLI, the API, triggers) write requests to the store and wake the loop; only the
loop thread touches in-memory run state (:mod:`brickyard.engine.loop`). Each step commits
every decision before it launches processes or publishes events, so a crash at any point
leaves the store consistent; :mod:`brickyard.engine.recovery` picks the pieces up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock
from brickyard.compute.process import ProcessEvent
from brickyard.engine.control import ControlHandler, ControlServer
from brickyard.engine.created_settings import CreatedSettings
from brickyard.engine.events import EventBus
from brickyard.engine.identity import EngineIdentity
from brickyard.engine.inbox import Cancel, Inbox, Wake
from brickyard.engine.loop import Loop, LoopParts
from brickyard.engine.ports import ExecutorLookup, Launcher
from brickyard.engine.repair import create_repair
from brickyard.engine.requests import RepairRequest, RunRequest
from brickyard.engine.submission import create_run
from brickyard.settings import Settings
from brickyard.states import TERMINAL_LIFE_CYCLE

logger = logging.getLogger(__name__)

SERVE_RETRY_SECONDS = 1.0
"""The pause after a failed step of :meth:`Engine.serve` before the next one."""

LauncherFactory = Callable[[Settings, Callable[[ProcessEvent], None]], Launcher]
"""Builds the launcher, given where to report process exits."""


class Engine:
    """Drives runs: create, plan, launch, retry, time out, cancel, repair, recover.

    The request methods may be called from any thread; :meth:`serve`, :meth:`wait_for` and
    :meth:`run_once` drive the loop and belong to one thread."""

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
        control_handlers: Mapping[str, ControlHandler] | None = None,
    ) -> None:
        """``control_handlers`` answer control-socket ops other than ``notebook_run`` (the
        composition root passes the cluster service's ``spark_cluster``)."""
        self.settings = settings
        self.database = database
        self.clock = clock
        self.events = events or EventBus()
        self.identity = EngineIdentity.current()
        self.inbox = Inbox()
        self._created = CreatedSettings()
        self._launcher = launcher_factory(settings, self.inbox.put)
        self._control = ControlServer(self.inbox.put, control_handlers) if control_socket else None
        self._loop = Loop(
            LoopParts(
                settings=settings,
                database=database,
                clock=clock,
                events=self.events,
                identity=self.identity,
                inbox=self.inbox,
                launcher=self._launcher,
                executors=executors,
                created=self._created,
                submit=self.submit,
                control_socket=self._control.path if self._control else None,
                adopt_orphans=adopt_orphans,
            )
        )

    # --- requests from any thread -------------------------------------------------------

    def submit(self, request: RunRequest) -> storage.RunRecord:
        """Create a run (or return the one its idempotency token made) and wake the loop."""
        with self.database.transaction() as conn:
            run = self.create_run(conn, request)
        self.inbox.put(Wake())
        return run

    def create_run(self, conn: Connection, request: RunRequest) -> storage.RunRecord:
        """Create a run owned by this engine inside the caller's transaction (a trigger
        records its fire in the same one); call :meth:`wake` once it has committed."""
        run = create_run(
            conn, request, settings=self.settings, clock=self.clock, owner=self.identity.owner
        )
        # The loop drives the run with the model it was created from (no second parse); a
        # skipped run is never driven, so it is not remembered.
        if run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
            self._created.remember(run, request.settings)
        return run

    def repair(self, request: RepairRequest) -> storage.RepairRecord:
        """Store a repair of a finished run (which leaves its terminal state at once)."""
        with self.database.transaction() as conn:
            repair = create_repair(conn, request, settings=self.settings, clock=self.clock)
            storage.update_run(
                conn,
                request.run_id,
                owner=self.identity.owner,
                lease_expires_at=self.clock.now_ms() + int(self.settings.lease_seconds * 1000),
            )
        self.inbox.put(Wake())
        return repair

    def cancel_run(self, run_id: int, *, hard: bool = False) -> None:
        """Cancel a run: running tasks are killed, cleanup (ALL_DONE) tasks still run unless
        ``hard``."""
        with self.database.transaction() as conn:
            run = storage.read_run(conn, run_id)
            if run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
                storage.update_run(conn, run_id, cancel_requested=True)
        self.inbox.put(Cancel(run_id, None, hard))

    def interrupt(self, run_id: int, *, hard: bool = False) -> None:
        """Cancel a run from a signal handler: only queues the request (no store access), the
        loop records it."""
        self.inbox.put(Cancel(run_id, None, hard))

    def cancel_task_run(self, task_run_id: int) -> None:
        """Cancel one task run; its dependents see UPSTREAM_CANCELED (cleanup tasks still run)."""
        with self.database.transaction() as conn:
            task_run = storage.read_task_run(conn, task_run_id)
            if task_run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
                storage.update_task_run(conn, task_run_id, cancel_requested=True)
        self.inbox.put(Cancel(task_run.job_run_id, task_run_id, False))

    def recover_orphans(self) -> None:
        """Settle runs whose engine is gone (adopting or ending them) without waiting for
        anything else."""
        self.run_once()

    def wake(self) -> None:
        """Make the loop look at the store now (new work, or time to stop)."""
        self.inbox.put(Wake())

    # --- the loop thread ----------------------------------------------------------------

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
                self.inbox.wait(delay)

    def wait_for(self, run_id: int, stop: threading.Event | None = None) -> storage.RunRecord:
        """Drive the loop in this thread until run ``run_id`` has finished."""
        while True:
            delay = self.run_once()
            if run_id not in self._loop.runs or (stop is not None and stop.is_set()):
                with self.database.read() as conn:
                    run = storage.read_run(conn, run_id)
                if run.life_cycle_state in TERMINAL_LIFE_CYCLE or (stop and stop.is_set()):
                    return run
            self.inbox.wait(delay)

    def run_once(self) -> float:
        """One loop step (:meth:`Loop.run_once`). Returns seconds until the next timer."""
        return self._loop.run_once()

    def close(self) -> None:
        """Stop the control socket and the launcher; task processes keep running."""
        if self._control is not None:
            self._control.close()
        self._launcher.close()
