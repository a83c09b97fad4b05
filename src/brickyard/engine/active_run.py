"""The engine's in-memory picture of one run it drives, rebuilt from the store at any time.

Only the engine's loop thread touches these objects. The store stays the source of truth: an
:class:`ActiveRun` is loaded from records (new run, repair, recovery) and every change to it is
committed before the loop acts on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.engine.planner import TaskState
from brickyard.executors.base import TaskProcessPlan
from brickyard.params import RunOverrides
from brickyard.spec import JobSettings, Task, TaskType, parse_stored_settings
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState, ResultState
from brickyard.storage import RunRecord, TaskRunRecord


@dataclass
class Attempt:
    """One task run (attempt) as the loop sees it: the stored fields it needs, plus the live
    process it may own."""

    task_run_id: int
    task_key: str
    attempt_number: int
    life_cycle: LifeCycleState
    result: ResultState | None
    message: str
    start_time: int
    end_time: int
    retry_at: int | None
    task_dir: str | None
    pid: int | None
    process_start: int | None
    condition_outcome: str | None
    error_code: str | None
    repair_id: int | None
    notebook_path: str | None = None
    plan: TaskProcessPlan | None = None
    """The prepared process, while it runs (None for adopted processes: read via task_dir)."""
    resolved_values: dict[str, Any] | None = None
    """The attempt's resolved parameters, stored when its process has started."""
    deadline_ms: int | None = None
    """When this attempt times out (task ``timeout_seconds``)."""
    stop_reason: ResultState | None = None
    """CANCELED or TIMEDOUT once the engine has signalled the process to stop."""

    @property
    def is_terminal(self) -> bool:
        """The attempt has finished (whatever the result)."""
        return self.life_cycle in TERMINAL_LIFE_CYCLE

    @classmethod
    def from_record(cls, record: TaskRunRecord) -> Attempt:
        """The attempt as stored."""
        notebook = record.task.get(TaskType.NOTEBOOK.value)
        return cls(
            task_run_id=record.run_id,
            task_key=record.task_key,
            attempt_number=record.attempt_number,
            life_cycle=record.life_cycle_state,
            result=record.result_state,
            message=record.state_message,
            start_time=record.start_time,
            end_time=record.end_time,
            retry_at=record.retry_at,
            task_dir=record.task_dir,
            pid=record.pid,
            process_start=record.process_start,
            condition_outcome=record.condition_outcome,
            error_code=record.error_code,
            repair_id=record.repair_id,
            notebook_path=notebook.get("notebook_path") if isinstance(notebook, dict) else None,
        )


def build_dag(tasks: Iterable[Task], keys: Iterable[str] | None = None) -> Dag:
    """The planner's DAG of ``tasks``, restricted to ``keys`` when the run covers only some."""
    dag = Dag(
        DagTask(
            key=task.task_key,
            depends_on=tuple(Edge(dep.task_key, dep.outcome) for dep in task.depends_on or ()),
            run_if=task.effective_run_if,
            disabled=bool(task.disabled),
            is_condition=task.is_condition,
        )
        for task in tasks
    )
    return dag if keys is None else dag.restricted_to(frozenset(keys))


@dataclass
class ActiveRun:
    """A run the engine is driving."""

    record: RunRecord
    settings: JobSettings
    dag: Dag
    attempts: dict[int, Attempt]
    latest: dict[str, Attempt]
    """The newest attempt of each task key in the run."""
    task_values: dict[str, dict[str, Any]]
    overrides: RunOverrides
    cancel_requested: bool = False
    timed_out: bool = False
    hard_stop: bool = False
    """A second cancel: kill everything now, run no cleanup tasks."""
    dirty: set[str] = field(default_factory=set)
    """Task keys whose dependents must be re-planned."""
    drive_start_ms: int = 0
    """When this engine started (or resumed) driving the run: the job timeout counts from it."""
    lost_by: str | None = None
    """Set when recovery ended the run because its engine (this owner) is gone."""
    # Kept up to date on every change (see ``refresh``) so the loop never rescans every task:
    # a 1000-task run changes state thousands of times.
    _states: dict[str, TaskState] = field(default_factory=dict)
    _unfinished: int = 0
    _attempt_counts: dict[str, int] = field(default_factory=dict)
    timers: dict[int, Attempt] = field(default_factory=dict)
    """Attempts that may have a timer: waiting for a retry, or running with a timeout."""
    _awaiting_retry: set[str] = field(default_factory=set)

    @property
    def run_id(self) -> int:
        """The job run id."""
        return self.record.run_id

    @property
    def base_dir(self) -> Path | None:
        """The folder relative paths resolve against."""
        return Path(self.record.base_dir) if self.record.base_dir else None

    @property
    def job_parameters(self) -> dict[str, str]:
        """The run's resolved job parameters, by name."""
        return {
            str(p["name"]): str(p.get("value", p.get("default", "")))
            for p in self.record.job_parameters
        }

    def task(self, key: str) -> Task:
        """The task definition the run uses for ``key``."""
        return self.settings.task(key)

    def await_retry(self, task_key: str) -> None:
        """The task's latest attempt failed and a retry is being created (it joins with
        :meth:`add_attempt` once committed): until then the task counts as unfinished and
        active, so nothing downstream is planned and the run does not finish."""
        if task_key in self._awaiting_retry:
            return
        self._awaiting_retry.add(task_key)
        self._unfinished += 1
        self._states[task_key] = TaskState(None)

    def is_awaiting_retry(self, task_key: str) -> bool:
        """A retry of the task is being created (see :meth:`await_retry`)."""
        return task_key in self._awaiting_retry

    def add_attempt(self, attempt: Attempt) -> None:
        """Track a new attempt; it becomes the latest one of its task key."""
        self.attempts[attempt.task_run_id] = attempt
        key = attempt.task_key
        if key in self._awaiting_retry:
            self._awaiting_retry.discard(key)
            self._unfinished -= 1
        self._attempt_counts[key] = self._attempt_counts.get(key, 0) + 1
        current = self.latest.get(key)
        if current is None or attempt.task_run_id > current.task_run_id:
            if current is not None and not current.is_terminal:
                self._unfinished -= 1
            self.latest[key] = attempt
            if not attempt.is_terminal:
                self._unfinished += 1
            self._refresh_state(attempt)

    def refresh(self, attempt: Attempt, *, was_terminal: bool) -> None:
        """Update the derived state after ``attempt`` changed."""
        if attempt.is_terminal != was_terminal and self.latest.get(attempt.task_key) is attempt:
            self._unfinished += -1 if attempt.is_terminal else 1
        self._refresh_state(attempt)

    def _refresh_state(self, attempt: Attempt) -> None:
        if attempt.life_cycle is LifeCycleState.WAITING_FOR_RETRY or (
            attempt.deadline_ms is not None and not attempt.is_terminal
        ):
            self.timers[attempt.task_run_id] = attempt
        else:
            self.timers.pop(attempt.task_run_id, None)
        if self.latest.get(attempt.task_key) is not attempt or self.is_awaiting_retry(
            attempt.task_key
        ):
            return
        if attempt.is_terminal:
            self._states[attempt.task_key] = TaskState(attempt.result, attempt.condition_outcome)
        elif attempt.life_cycle is LifeCycleState.BLOCKED:
            self._states.pop(attempt.task_key, None)
        else:
            self._states[attempt.task_key] = TaskState(None)

    def planner_states(self) -> Mapping[str, TaskState]:
        """What the planner needs: finished tasks with their results, active ones with none.
        Blocked tasks (not decided yet) are absent."""
        return self._states

    def is_finished(self) -> bool:
        """Every task's latest attempt has finished."""
        return self._unfinished == 0

    def execution_count(self, task_key: str) -> int:
        """How many attempts of ``task_key`` this run has had (1-based for the current one)."""
        return self._attempt_counts.get(task_key, 0)

    @classmethod
    def load(
        cls,
        record: RunRecord,
        task_runs: Iterable[TaskRunRecord],
        task_values: Mapping[str, Mapping[str, Any]],
        *,
        settings: JobSettings | None = None,
    ) -> ActiveRun:
        """Rebuild the picture of a run from its stored records. ``settings`` is the model the
        run was created with, when this process created it; otherwise the stored settings are
        parsed."""
        if settings is None:
            settings = parse_stored_settings(record.settings, source=f"run {record.run_id}")
        attempts = [Attempt.from_record(tr) for tr in task_runs]
        keys = {a.task_key for a in attempts}
        known = {task.task_key for task in settings.tasks or ()}
        run = cls(
            record=record,
            settings=settings,
            dag=build_dag(settings.tasks or (), keys & known),
            attempts={},
            latest={},
            task_values={k: dict(v) for k, v in task_values.items()},
            overrides=RunOverrides.from_request(record.overriding_parameters),
            cancel_requested=record.cancel_requested,
        )
        for attempt in attempts:
            run.add_attempt(attempt)
        return run
