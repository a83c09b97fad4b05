"""What dynamic value references resolve against: the run, the current task, upstream tasks."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from brickyard.states import TriggerType


class _Absent:
    """The type of :data:`ABSENT`."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Final = _Absent()
"""``for_each_input`` outside a for-each iteration (``None`` is a valid element, so not None)."""


@dataclass(frozen=True)
class UpstreamTask:
    """What ``{{tasks.<key>.*}}`` reads about another task of the run (its latest attempt)."""

    run_id: int
    result_state: str | None
    """The ``ResultState`` value, or None while the task has not finished."""
    error_code: str
    """E.g. ``RunExecutionError``; empty when the task succeeded."""
    execution_count: int
    notebook_path: str | None
    values: Mapping[str, Any]
    """Task values set with ``dbutils.jobs.taskValues.set``."""
    sql_output_rows: Sequence[Mapping[str, Any]] | None = None
    """Rows of a SQL task's result (``{{tasks.<key>.output.rows}}``), None when there are none."""


@dataclass(frozen=True)
class TaskIdentity:
    """The task whose configuration is being resolved (``{{task.*}}``)."""

    task_key: str
    task_run_id: int
    execution_count: int
    """1 on the first attempt, 2 on the first retry, ..."""
    notebook_path: str | None


@dataclass(frozen=True)
class TableUpdate:
    """One table that changed, for ``{{job.trigger.table_update.<table>.*}}``."""

    version: int | None = None
    commit_timestamp_ms: int | None = None


@dataclass(frozen=True)
class ResolutionContext:
    """Everything a reference can read. Build one per run, then :meth:`with_task` per task."""

    job_id: int | None
    job_name: str
    run_id: int
    repair_count: int
    start_time_ms: int
    trigger_time_ms: int
    trigger_type: TriggerType
    job_parameters: Mapping[str, str]
    workspace_id: str
    workspace_url: str
    task: TaskIdentity | None = None
    tasks: Mapping[str, UpstreamTask] = field(default_factory=dict)
    for_each_input: Any = ABSENT
    backfill_time_ms: int | None = None
    file_arrival_location: str | None = None
    table_updates: Mapping[str, TableUpdate] = field(default_factory=dict)
    """Tables changed since the last table-update trigger (table-update runs only)."""

    @property
    def in_for_each(self) -> bool:
        """Whether this is the context of a for-each iteration (``{{input}}`` is defined)."""
        return self.for_each_input is not ABSENT

    def with_task(
        self,
        task: TaskIdentity,
        *,
        tasks: Mapping[str, UpstreamTask] | None = None,
        for_each_input: Any = ABSENT,
    ) -> ResolutionContext:
        """A copy for one task: its identity, the upstream tasks so far and the for-each element.

        ``tasks`` None keeps the current upstream map.
        """
        return dataclasses.replace(
            self,
            task=task,
            tasks=self.tasks if tasks is None else tasks,
            for_each_input=for_each_input,
        )

    def with_job_parameters(self, job_parameters: Mapping[str, str]) -> ResolutionContext:
        """A copy with the run's resolved job parameter values."""
        return dataclasses.replace(self, job_parameters=dict(job_parameters))
