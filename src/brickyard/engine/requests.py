"""What callers ask the engine for: a new run, a repair. Plain values, validated at the edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
