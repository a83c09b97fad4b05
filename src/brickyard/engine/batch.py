"""One loop step's writes, committed together before the engine acts on any of them.

The loop mutates its in-memory attempts as it decides, records the matching store writes here,
then commits them in one transaction and only afterwards launches processes and publishes
events. A crash before the commit loses only decisions that nothing has acted on yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from brickyard import storage
from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.events import EngineEvent, TaskRunChanged
from brickyard.states import LifeCycleState, ResultState, TerminationCode, TerminationType


@dataclass
class Batch:
    """Pending store writes and the events to publish once they are committed."""

    transitions: list[storage.TaskRunTransition] = field(default_factory=list)
    new_task_runs: list[storage.NewTaskRun] = field(default_factory=list)
    task_values: list[tuple[int, str, int, Mapping[str, Any]]] = field(default_factory=list)
    run_writes: list[Callable[[Connection], object]] = field(default_factory=list)
    events: list[EngineEvent] = field(default_factory=list)
    _touched: dict[int, Attempt] = field(default_factory=dict)
    _job_runs: dict[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.transitions or self.new_task_runs or self.task_values or self.run_writes)

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
        changes: Mapping[str, Any] | None = None,
    ) -> None:
        """Move ``attempt`` to ``to`` in memory now and in the store at commit."""
        was_terminal = attempt.is_terminal
        all_changes = dict(changes or {})
        if to is LifeCycleState.RUNNING and "start_time" not in all_changes:
            all_changes["start_time"] = now_ms
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
                changes=all_changes,
                job_run_id=run.run_id,
            )
        )
        attempt.life_cycle = to
        attempt.result = result
        if message is not None:
            attempt.message = message
        if "start_time" in all_changes:
            attempt.start_time = int(all_changes["start_time"])
        if to in (LifeCycleState.TERMINATED, LifeCycleState.SKIPPED, LifeCycleState.INTERNAL_ERROR):
            attempt.end_time = now_ms
            if attempt.start_time == 0:
                attempt.start_time = now_ms
        for name in ("pid", "process_start", "task_dir", "condition_outcome", "error_code"):
            if name in all_changes:
                setattr(attempt, name, all_changes[name])
        self._touched[attempt.task_run_id] = attempt
        self._job_runs[attempt.task_run_id] = run.run_id
        run.refresh(attempt, was_terminal=was_terminal)

    def add_attempt(self, run: ActiveRun, new: storage.NewTaskRun, attempt: Attempt) -> None:
        """Create a new attempt (a retry or a relaunch) in memory now and in the store at commit."""
        self.new_task_runs.append(new)
        run.add_attempt(attempt)
        self._touched[attempt.task_run_id] = attempt
        self._job_runs[attempt.task_run_id] = run.run_id

    def set_task_values(self, run: ActiveRun, attempt: Attempt, values: Mapping[str, Any]) -> None:
        """Store the task values an attempt set (they are visible to later tasks at once)."""
        if not values:
            return
        run.task_values.setdefault(attempt.task_key, {}).update(values)
        self.task_values.append((run.run_id, attempt.task_key, attempt.task_run_id, values))

    def commit(self, database: storage.Database, *, now_ms: int) -> list[EngineEvent]:
        """Write everything in one transaction; return the events to publish."""
        if self:
            with database.transaction() as conn:
                if self.new_task_runs:
                    storage.create_task_runs(conn, self.new_task_runs, now_ms=now_ms)
                if self.transitions:
                    storage.transition_task_runs(conn, self.transitions, now_ms=now_ms)
                for job_run_id, task_key, task_run_id, values in self.task_values:
                    storage.set_task_values(conn, job_run_id, task_key, task_run_id, values)
                for write in self.run_writes:
                    write(conn)
        events: list[EngineEvent] = [
            TaskRunChanged(
                job_run_id=self._job_runs[attempt.task_run_id],
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
            for attempt in self._touched.values()
        ]
        events.extend(self.events)
        self.transitions.clear()
        self.new_task_runs.clear()
        self.task_values.clear()
        self.run_writes.clear()
        self.events.clear()
        self._touched.clear()
        self._job_runs.clear()
        return events
