"""One loop step's writes, committed together before the engine acts on any of them.

The loop decides, records the matching store writes here, then commits them in one
transaction and only afterwards launches processes and publishes events. A crash before the
commit loses only decisions that nothing has acted on yet.

Every move is checked against the transition table when it is recorded (before memory
changes), so an illegal move raises where it is made; storage checks again with its
compare-and-set. Run-level moves, conditional writes (a queued run's promotion, whose lock and
count check must see the store at commit) and retry attempts (whose run ids are allocated
inside the commit) ride in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from brickyard import storage
from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.events import EngineEvent, RunChanged, TaskRunChanged
from brickyard.states import (
    TERMINAL_LIFE_CYCLE,
    LifeCycleState,
    ResultState,
    TerminationCode,
    TerminationType,
    check_transition,
)

StoreWrite = Callable[[Connection], Iterable[EngineEvent]]
"""A write decided at commit time (it reads the store first); returns the events it caused."""


@dataclass(frozen=True)
class RetryAttempt:
    """A retry of a failed attempt, created at commit with a freshly allocated run id."""

    run: ActiveRun
    failed: Attempt
    task: Mapping[str, Any]
    original_attempt_run_id: int
    retry_at: int
    message: str

    def new_task_run(self, run_id: int) -> storage.NewTaskRun:
        """The stored task run of this retry."""
        return storage.NewTaskRun(
            run_id=run_id,
            job_run_id=self.run.run_id,
            task_key=self.failed.task_key,
            attempt_number=self.failed.attempt_number + 1,
            original_attempt_run_id=self.original_attempt_run_id,
            task=dict(self.task),
            life_cycle_state=LifeCycleState.WAITING_FOR_RETRY,
            state_message=self.message,
            retry_at=self.retry_at,
            repair_id=self.failed.repair_id,
        )

    def attempt(self, run_id: int) -> Attempt:
        """The in-memory attempt of this retry."""
        return Attempt(
            task_run_id=run_id,
            task_key=self.failed.task_key,
            attempt_number=self.failed.attempt_number + 1,
            life_cycle=LifeCycleState.WAITING_FOR_RETRY,
            result=None,
            message=self.message,
            start_time=0,
            end_time=0,
            retry_at=self.retry_at,
            task_dir=None,
            pid=None,
            process_start=None,
            condition_outcome=None,
            error_code=None,
            repair_id=self.failed.repair_id,
            notebook_path=self.failed.notebook_path,
        )


@dataclass(frozen=True)
class _RunMove:
    run: ActiveRun
    expected: LifeCycleState
    to: LifeCycleState
    result: ResultState | None
    message: str | None
    user_cancelled_or_timedout: bool | None
    changes: storage.RunChanges


@dataclass
class Batch:
    """Pending store writes and the events to publish once they are committed."""

    transitions: list[storage.TaskRunTransition] = field(default_factory=list)
    task_values: list[tuple[int, str, int, Mapping[str, Any]]] = field(default_factory=list)
    _run_moves: list[_RunMove] = field(default_factory=list)
    _writes: list[StoreWrite] = field(default_factory=list)
    _retries: list[RetryAttempt] = field(default_factory=list)
    _after_commit: list[Callable[[], None]] = field(default_factory=list)
    _touched: dict[int, tuple[int, Attempt]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(
            self.transitions
            or self.task_values
            or self._run_moves
            or self._writes
            or self._retries
            or self._after_commit
        )

    def move(
        self,
        run: ActiveRun,
        attempt: Attempt,
        to: LifeCycleState,
        *,
        now_ms: int,
        result: ResultState | None = None,
        message: str | None = None,
        termination_code: TerminationCode | None = None,
        termination_type: TerminationType | None = None,
        user_cancelled_or_timedout: bool | None = None,
        changes: storage.TaskRunChanges = storage.NO_TASK_RUN_CHANGES,
    ) -> None:
        """Move ``attempt`` to ``to`` in memory now and in the store at commit.

        Raises IllegalTransitionError (memory untouched) when the table forbids the move."""
        check_transition(attempt.life_cycle, to, result, is_task_run=True)
        was_terminal = attempt.is_terminal
        if to is LifeCycleState.RUNNING and changes.start_time is storage.KEEP:
            changes = replace(changes, start_time=now_ms)
        self.transitions.append(
            storage.TaskRunTransition(
                task_run_id=attempt.task_run_id,
                expected=attempt.life_cycle,
                to=to,
                result=result,
                message=message,
                termination_code=termination_code.value if termination_code else None,
                termination_type=termination_type.value if termination_type else None,
                user_cancelled_or_timedout=user_cancelled_or_timedout,
                changes=changes,
                job_run_id=run.run_id,
            )
        )
        attempt.life_cycle = to
        attempt.result = result
        if message is not None:
            attempt.message = message
        _mirror(attempt, changes)
        if to in TERMINAL_LIFE_CYCLE:
            attempt.end_time = now_ms
            if attempt.start_time == 0:
                attempt.start_time = now_ms
        self._touched[attempt.task_run_id] = (run.run_id, attempt)
        run.refresh(attempt, was_terminal=was_terminal)

    def move_run(
        self,
        run: ActiveRun,
        to: LifeCycleState,
        *,
        result: ResultState | None = None,
        message: str | None = None,
        user_cancelled_or_timedout: bool | None = None,
        changes: storage.RunChanges = storage.NO_RUN_CHANGES,
    ) -> None:
        """Move the run itself to ``to``: its in-memory state now, the store at commit (which
        then holds the stored record). Raises IllegalTransitionError before anything changes."""
        expected = run.record.life_cycle_state
        check_transition(expected, to, result, is_task_run=False)
        self._run_moves.append(
            _RunMove(run, expected, to, result, message, user_cancelled_or_timedout, changes)
        )
        run.record = replace(run.record, life_cycle_state=to, result_state=result)

    def write(self, write: StoreWrite) -> None:
        """A write that decides at commit, inside the transaction (after the moves)."""
        self._writes.append(write)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the batch has committed (nothing acts before that)."""
        self._after_commit.append(callback)

    def retry(self, retry: RetryAttempt) -> None:
        """Create a retry attempt at commit; it joins the in-memory run after the commit (the
        run counts the task as unfinished meanwhile, see :meth:`ActiveRun.await_retry`)."""
        retry.run.await_retry(retry.failed.task_key)
        self._retries.append(retry)

    def set_task_values(self, run: ActiveRun, attempt: Attempt, values: Mapping[str, Any]) -> None:
        """Store the task values an attempt set (they are visible to later tasks at once)."""
        if not values:
            return
        run.task_values.setdefault(attempt.task_key, {}).update(values)
        self.task_values.append((run.run_id, attempt.task_key, attempt.task_run_id, values))

    def commit(self, database: storage.Database, *, now_ms: int) -> list[EngineEvent]:
        """Write everything in one transaction; return the events to publish."""
        events: list[EngineEvent] = []
        retry_ids: list[int] = []
        if self:
            with database.transaction() as conn:
                if self._retries:
                    retry_ids = storage.allocate_run_ids(conn, len(self._retries))
                    storage.create_task_runs(
                        conn,
                        [r.new_task_run(i) for r, i in zip(self._retries, retry_ids, strict=True)],
                        now_ms=now_ms,
                    )
                if self.transitions:
                    storage.transition_task_runs(conn, self.transitions, now_ms=now_ms)
                for job_run_id, task_key, task_run_id, values in self.task_values:
                    storage.set_task_values(conn, job_run_id, task_key, task_run_id, values)
                for move in self._run_moves:
                    move.run.record = storage.transition_run(
                        conn,
                        move.run.run_id,
                        expected=move.expected,
                        to=move.to,
                        result=move.result,
                        message=move.message,
                        now_ms=now_ms,
                        user_cancelled_or_timedout=move.user_cancelled_or_timedout,
                        changes=move.changes,
                    )
                    events.append(run_changed(move.run.record))
                for write in self._writes:
                    events.extend(write(conn))
        for retry, run_id in zip(self._retries, retry_ids, strict=True):
            attempt = retry.attempt(run_id)
            retry.run.add_attempt(attempt)
            self._touched[run_id] = (retry.run.run_id, attempt)
        task_events: list[EngineEvent] = [
            TaskRunChanged(
                job_run_id=job_run_id,
                task_key=attempt.task_key,
                task_run_id=attempt.task_run_id,
                attempt_number=attempt.attempt_number,
                life_cycle_state=attempt.life_cycle,
                result_state=attempt.result,
                state_message=attempt.message,
                start_time=attempt.start_time,
                end_time=attempt.end_time,
                task_dir=attempt.task_dir,
            )
            for job_run_id, attempt in self._touched.values()
        ]
        after_commit = list(self._after_commit)
        task_events.extend(events)
        self.transitions.clear()
        self.task_values.clear()
        self._run_moves.clear()
        self._writes.clear()
        self._retries.clear()
        self._after_commit.clear()
        self._touched.clear()
        for callback in after_commit:
            callback()
        return task_events


def run_changed(record: storage.RunRecord) -> RunChanged:
    """The event of a run's stored state."""
    return RunChanged(
        run_id=record.run_id,
        job_id=record.job_id,
        life_cycle_state=record.life_cycle_state,
        result_state=record.result_state,
        state_message=record.state_message,
        start_time=record.start_time,
        end_time=record.end_time,
    )


def _mirror(attempt: Attempt, changes: storage.TaskRunChanges) -> None:
    # The columns the loop reads back from memory; the rest only matter to readers of the store.
    if changes.start_time is not storage.KEEP:
        attempt.start_time = changes.start_time
    if changes.pid is not storage.KEEP:
        attempt.pid = changes.pid
    if changes.process_start is not storage.KEEP:
        attempt.process_start = changes.process_start
    if changes.task_dir is not storage.KEEP:
        attempt.task_dir = changes.task_dir
    if changes.condition_outcome is not storage.KEEP:
        attempt.condition_outcome = changes.condition_outcome
    if changes.error_code is not storage.KEEP:
        attempt.error_code = changes.error_code
