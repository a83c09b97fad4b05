"""The trigger service: one tick evaluates every due trigger and starts the runs they fire.

``run_once(now)`` reads the due triggers with one indexed query, evaluates each (a pure
function of the stored trigger and ``now``, plus a directory listing for file arrival and the
job's runs for continuous jobs) and records the outcome with a compare-and-set on the
trigger's ``due_time`` in the same transaction that creates its runs. So a tick run twice
creates nothing new, two servers on one store never fire the same time twice, and a crash
loses no fire: the trigger stays due until its run exists. :meth:`serve` is the thin loop the
server runs in a thread: a tick, then a sleep until the next due time (at most a second, so
changes made by other processes are seen quickly).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import Final

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock
from brickyard.engine import Engine, RunRequest
from brickyard.errors import BrickyardError, NotFoundError
from brickyard.settings import Settings
from brickyard.triggers.evaluators import EVALUATORS, UNEVALUATED, EvaluationInputs
from brickyard.triggers.outcome import Outcome

logger = logging.getLogger(__name__)

MAX_SLEEP_MS: Final = 1000
"""The longest the loop sleeps: triggers changed by another process are armed this soon."""

BATCH: Final = 500
"""Due triggers evaluated per query; a tick keeps going until none is left."""

RETRY_MS: Final = 60_000
"""When a trigger that cannot be evaluated (a bad expression stored before validation
existed, an unknown time zone) is looked at again."""


@dataclass(frozen=True)
class TickReport:
    """What one tick did."""

    evaluated: int
    run_ids: tuple[int, ...]


class TriggerService:
    """Starts the runs that schedules, periodic, file-arrival and continuous triggers fire."""

    def __init__(
        self, *, settings: Settings, database: storage.Database, engine: Engine, clock: Clock
    ) -> None:
        self.settings = settings
        self.database = database
        self.engine = engine
        self.clock = clock
        self._inputs = EvaluationInputs(settings=settings, database=database)
        self._wake = threading.Event()

    def run_once(self, now_ms: int | None = None) -> TickReport:
        """Evaluate every trigger due at ``now_ms`` (default: the clock's now)."""
        now = self.clock.now_ms() if now_ms is None else now_ms
        evaluated = 0
        run_ids: list[int] = []
        seen: set[tuple[int, int]] = set()
        while True:
            with self.database.read() as conn:
                due = [
                    record
                    for record in storage.list_due_triggers(conn, now, limit=BATCH)
                    if (record.job_id, record.slot) not in seen
                ]
            for record in due:
                seen.add((record.job_id, record.slot))
                run_ids.extend(self._advance(record, now))
            evaluated += len(due)
            if len(due) < BATCH:
                break
        if run_ids:
            self.engine.wake()
        return TickReport(evaluated=evaluated, run_ids=tuple(run_ids))

    def serve(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set (then :meth:`wake`), sleeping until the next due time."""
        while not stop.is_set():
            try:
                self.run_once()
                delay_ms = self._sleep_ms()
            except Exception:
                logger.exception("trigger tick failed; retrying in 1 s")
                delay_ms = MAX_SLEEP_MS
            if delay_ms > 0:
                self._wake.wait(delay_ms / 1000)
            self._wake.clear()

    def wake(self) -> None:
        """Tick now (triggers changed, or time to stop)."""
        self._wake.set()

    def _sleep_ms(self) -> int:
        with self.database.read() as conn:
            next_due = storage.next_due_time(conn)
        if next_due is None:
            return MAX_SLEEP_MS
        return max(0, min(MAX_SLEEP_MS, next_due - self.clock.now_ms()))

    def _advance(self, record: storage.JobTriggerRecord, now: int) -> list[int]:
        try:
            outcome = self._evaluate(record, now)
        except BrickyardError as error:
            logger.warning(
                "job %s: its %s trigger cannot run: %s", record.job_id, record.kind, error
            )
            outcome = Outcome(due_time=now + RETRY_MS)
        try:
            run_ids = self._commit(record, outcome, now)
        except BrickyardError as error:
            # The run cannot be created (its job's parameters no longer resolve, say): the
            # fire is passed over, as Databricks records a failed trigger, so that one job
            # never holds up the others nor retries forever.
            logger.warning(
                "job %s: the %s trigger fired but no run started: %s",
                record.job_id,
                record.kind,
                error,
            )
            run_ids = self._commit(record, replace(outcome, fires=(), remember_run_as=None), now)
        for run_id in outcome.cancel_run_ids:
            self.engine.cancel_run(run_id)
        return run_ids

    def _commit(self, record: storage.JobTriggerRecord, outcome: Outcome, now: int) -> list[int]:
        """Advance the trigger and create its runs in one transaction (nothing if another
        tick, or a settings change, got there first)."""
        with self.database.transaction() as conn:
            if not storage.advance_trigger(
                conn,
                record.job_id,
                record.slot,
                expected_due_time=record.due_time,
                due_time=outcome.due_time,
                updated_time=now,
                **({} if outcome.state is None else {"state": outcome.state}),
                **(
                    {}
                    if outcome.last_fire_time is None
                    else {"last_fire_time": outcome.last_fire_time}
                ),
            ):
                return []
            return self._start_runs(conn, record, outcome)

    def _start_runs(
        self, conn: Connection, record: storage.JobTriggerRecord, outcome: Outcome
    ) -> list[int]:
        if not outcome.fires:
            return []
        try:
            job = storage.read_job(conn, record.job_id)
        except NotFoundError:
            return []
        run_ids = [
            self.engine.create_run(
                conn,
                RunRequest.for_job(
                    job,
                    trigger=fire.trigger,
                    trigger_time_ms=fire.trigger_time_ms,
                    file_arrival_location=fire.file_arrival_location,
                ),
            ).run_id
            for fire in outcome.fires
        ]
        if outcome.remember_run_as is not None and outcome.state is not None:
            storage.advance_trigger(
                conn,
                record.job_id,
                record.slot,
                expected_due_time=outcome.due_time,
                state={**outcome.state, outcome.remember_run_as: run_ids[-1]},
            )
        return run_ids

    def _evaluate(self, record: storage.JobTriggerRecord, now: int) -> Outcome:
        if record.kind in UNEVALUATED:
            # due_time None: looked at (and logged) once, until the job's settings change
            logger.warning(
                "job %s: %s triggers are not evaluated by brickyard; the trigger is ignored",
                record.job_id,
                record.kind,
            )
            return Outcome(due_time=None)
        return EVALUATORS[record.kind](record, now, self._inputs)
