"""Builds the dynamic-value-reference context of a run and of one task attempt in it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from brickyard import storage
from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.params import ResolutionContext, TaskIdentity, UpstreamTask
from brickyard.settings import Settings


def run_context(run: ActiveRun, settings: Settings) -> ResolutionContext:
    """The context shared by every task of ``run`` (job, run, trigger, parameters)."""
    return record_context(run.record, settings, job_parameters=run.job_parameters)


def record_context(
    record: storage.RunRecord,
    settings: Settings,
    *,
    job_parameters: Mapping[str, str],
    repair_count: int | None = None,
) -> ResolutionContext:
    """The run-level context of a stored run (``repair_count`` overrides the record's, for a
    repair being created)."""
    trigger = record.trigger_context or {}
    return ResolutionContext(
        job_id=record.job_id,
        job_name=record.run_name,
        run_id=record.run_id,
        repair_count=record.repair_count if repair_count is None else repair_count,
        start_time_ms=record.start_time,
        trigger_time_ms=record.trigger_time,
        trigger_type=record.trigger,
        job_parameters=job_parameters,
        workspace_id=settings.workspace_id,
        workspace_url=settings.base_url,
        backfill_time_ms=trigger.get("backfill_time"),
        file_arrival_location=trigger.get("file_arrival_location"),
    )


class FinishedTasks(Mapping[str, UpstreamTask]):
    """``{{tasks.<key>...}}`` values of the run's finished tasks, built only when referenced:
    building all of them for every task start made long runs quadratic."""

    def __init__(self, run: ActiveRun) -> None:
        self._run = run

    def __getitem__(self, key: str) -> UpstreamTask:
        latest = self._run.latest.get(key)
        if latest is None or not latest.is_terminal or self._run.is_awaiting_retry(key):
            raise KeyError(key)
        return UpstreamTask(
            run_id=latest.task_run_id,
            result_state=latest.result.value if latest.result else None,
            error_code=latest.error_code or "",
            execution_count=self._run.execution_count(key),
            notebook_path=latest.notebook_path,
            values=self._run.task_values.get(key, {}),
        )

    def __iter__(self) -> Iterator[str]:
        return (
            key
            for key, latest in self._run.latest.items()
            if latest.is_terminal and not self._run.is_awaiting_retry(key)
        )

    def __len__(self) -> int:
        return sum(1 for _ in self)


def task_context(run: ActiveRun, attempt: Attempt, settings: Settings) -> ResolutionContext:
    """The context of one attempt: the run's, plus this task and every finished task."""
    identity = TaskIdentity(
        task_key=attempt.task_key,
        task_run_id=attempt.task_run_id,
        execution_count=run.execution_count(attempt.task_key),
        notebook_path=attempt.notebook_path,
    )
    return run_context(run, settings).with_task(identity, tasks=FinishedTasks(run))
