"""What callers ask the engine for: a new run, a repair. Plain values, validated at the edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brickyard import storage
from brickyard.params import RunOverrides
from brickyard.spec import JobSettings
from brickyard.states import RunType, TriggerType


@dataclass(frozen=True)
class RunRequest:
    """A request to run a job's settings once.

    ``job_id`` is None for one-time runs (runs/submit, ``dbutils.notebook.run``).
    """

    settings: JobSettings
    job_id: int | None
    run_type: RunType = RunType.JOB_RUN
    trigger: TriggerType = TriggerType.ONE_TIME
    overrides: RunOverrides = field(default_factory=RunOverrides)
    only: Sequence[str] | None = None
    """run-now ``only``: task keys, with ``+key`` / ``key+`` closures."""
    idempotency_token: str | None = None
    queue_enabled: bool | None = None
    """A per-run queue override; None uses the job's ``queue`` setting."""
    base_dir: Path | None = None
    """The folder relative paths in the settings resolve against (the job file's folder)."""
    run_name: str | None = None
    parent_task_run_id: int | None = None
    creator_user_name: str | None = None
    trigger_info: Mapping[str, Any] = field(default_factory=dict)
    trigger_time_ms: int | None = None
    """When the trigger fired (a schedule's scheduled time); None: the run's creation."""
    backfill_time_ms: int | None = None
    """The start of the backfilled interval (``{{backfill.*}}``) of a backfill run."""
    file_arrival_location: str | None = None
    """The watched location (``{{job.trigger.file_arrival.location}}``) of a file-arrival run."""

    @classmethod
    def for_job(cls, job: storage.JobRecord, **fields: Any) -> RunRequest:
        """A run of a stored job with its current settings; ``fields`` set the rest."""
        return cls(
            settings=JobSettings.model_validate(job.settings),
            job_id=job.job_id,
            base_dir=Path(job.source_path).parent if job.source_path else None,
            **fields,
        )

    @property
    def trigger_context(self) -> dict[str, Any] | None:
        """What references read of the trigger, as stored on the run."""
        context: dict[str, Any] = {}
        if self.backfill_time_ms is not None:
            context["backfill_time"] = self.backfill_time_ms
        if self.file_arrival_location is not None:
            context["file_arrival_location"] = self.file_arrival_location
        return context or None


@dataclass(frozen=True)
class RepairRequest:
    """runs/repair: which tasks of a finished run to run again, inside the same run."""

    run_id: int
    rerun_tasks: Sequence[str] | None = None
    rerun_all_failed_tasks: bool = False
    rerun_dependent_tasks: bool = False
    latest_repair_id: int | None = None
    overrides: RunOverrides = field(default_factory=RunOverrides)
    settings: JobSettings | None = None
    """The settings to use (the job's current ones); None keeps the run's snapshot."""
