"""Frozen records returned by the repository functions (never ORM rows).

Times are epoch milliseconds. JSON payloads (settings, task specs, parameters) are plain
dicts/lists exactly as stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from brickyard.spec.triggers import TriggerKind
from brickyard.states import LifeCycleState, ResultState, RunType, TriggerType


@dataclass(frozen=True)
class JobRecord:
    """A job and its current settings."""

    job_id: int
    name: str
    settings: dict[str, Any]
    created_time: int
    creator_user_name: str | None
    source_path: str | None
    """The job file the job was deployed from, if any (``brickyard deploy``)."""
    version: int
    """1 at creation, +1 for every settings change."""


@dataclass(frozen=True)
class JobVersionRecord:
    """One historical version of a job's settings."""

    job_id: int
    version: int
    settings: dict[str, Any]
    created_time: int


@dataclass(frozen=True)
class RunRecord:
    """A job run."""

    run_id: int
    job_id: int | None
    run_name: str
    run_type: RunType
    trigger: TriggerType
    settings: dict[str, Any]
    """The job settings snapshot this run uses (a repair replaces it)."""
    base_dir: str | None
    """The folder that relative paths in the settings resolve against."""
    life_cycle_state: LifeCycleState
    result_state: ResultState | None
    state_message: str
    user_cancelled_or_timedout: bool
    termination_code: str | None
    termination_type: str | None
    queue_reason: str | None
    created_time: int
    start_time: int
    end_time: int
    """0 while the run is active."""
    trigger_time: int
    queue_duration: int
    job_parameters: list[dict[str, Any]]
    """Resolved job parameters: ``[{"name", "default", "value"}]``."""
    overriding_parameters: dict[str, Any]
    only: list[str] | None
    """Task keys to run (run-now ``only``), or None for all."""
    repair_count: int
    latest_repair_id: int | None
    parent_task_run_id: int | None
    """The task run (Run Job task, ``dbutils.notebook.run``) that started this run."""
    idempotency_token: str | None
    cancel_requested: bool
    owner: str | None
    """The engine instance driving this run, or None when nobody is."""
    lease_expires_at: int | None
    creator_user_name: str | None
    trigger_info: dict[str, Any]
    trigger_context: dict[str, Any] | None
    """What the trigger knew that references read (``backfill_time``,
    ``file_arrival_location``), or None."""


@dataclass(frozen=True)
class TaskRunRecord:
    """One attempt of one task in a job run; ``run_id`` is the task run id."""

    run_id: int
    job_run_id: int
    task_key: str
    attempt_number: int
    original_attempt_run_id: int
    repair_id: int | None
    task: dict[str, Any]
    """The Task JSON this attempt ran with."""
    life_cycle_state: LifeCycleState
    result_state: ResultState | None
    state_message: str
    user_cancelled_or_timedout: bool
    termination_code: str | None
    termination_type: str | None
    start_time: int
    end_time: int
    setup_duration: int
    execution_duration: int
    cleanup_duration: int
    queue_duration: int
    retry_at: int | None
    """When a ``WAITING_FOR_RETRY`` attempt may start."""
    task_dir: str | None
    pid: int | None
    process_start: int | None
    resolved_values: dict[str, Any] | None
    condition_outcome: str | None
    exit_value: str | None
    exit_value_truncated: bool
    error: str | None
    error_trace: str | None
    error_code: str | None
    logs: str | None
    logs_truncated: bool
    cancel_requested: bool
    child_run_id: int | None
    """The job run a Run Job task started."""


@dataclass(frozen=True)
class TaskValueRecord:
    """A task value set by a task of a job run."""

    job_run_id: int
    task_key: str
    key: str
    value: Any
    task_run_id: int


@dataclass(frozen=True)
class RepairRecord:
    """One repair of a job run."""

    repair_id: int
    run_id: int
    created_time: int
    start_time: int
    end_time: int
    life_cycle_state: LifeCycleState
    result_state: ResultState | None
    state_message: str
    task_run_ids: list[int]
    """The task runs this repair created."""
    request: dict[str, Any]
    """The repair request as received."""


@dataclass(frozen=True)
class StateChangeRecord:
    """One life-cycle change of a job run (``task_run_id`` None) or one of its task runs."""

    id: int
    job_run_id: int
    task_run_id: int | None
    from_state: str | None
    to_state: str
    result_state: str | None
    message: str
    timestamp: int


@dataclass(frozen=True)
class TokenRecord:
    """A personal access token (without its value)."""

    token_id: str
    user_name: str
    is_admin: bool
    comment: str
    creation_time: int
    expiry_time: int
    """Epoch ms after which the token is refused; -1 for never."""

    def is_expired(self, now_ms: int) -> bool:
        """Whether the token can no longer be used at ``now_ms``."""
        return self.expiry_time != -1 and self.expiry_time <= now_ms


@dataclass(frozen=True)
class JobTriggerRecord:
    """One schedule or trigger of a job, with the scheduler's state for it."""

    job_id: int
    slot: int
    kind: TriggerKind
    config: dict[str, Any]
    config_hash: str
    paused: bool
    settings_version: int
    """The job's settings version when the row was last written from the settings."""
    due_time: int | None
    """When the service must look next (epoch ms); 0: re-arm; None: nothing to do."""
    last_fire_time: int | None
    """The scheduled time of the last run this trigger started."""
    state: dict[str, Any]
    """Kind-specific state: files seen, back-off, the run it keeps alive..."""
    updated_time: int


@dataclass(frozen=True)
class ClusterRecord:
    """A cluster of the Clusters API (``runtime`` is None while no server runs)."""

    cluster_id: str
    cluster_name: str
    spec: dict[str, Any]
    state: str
    state_message: str
    cluster_source: str
    creator_user_name: str | None
    job_run_id: int | None
    job_cluster_key: str | None
    job_id: int | None
    pinned: bool
    start_time: int
    last_restarted_time: int | None
    terminated_time: int | None
    last_activity_time: int
    termination_reason: dict[str, Any] | None
    runtime: dict[str, Any] | None
    spark_context_id: int | None


@dataclass(frozen=True)
class ClusterEventRecord:
    """One entry of ``clusters/events``."""

    event_id: int
    cluster_id: str
    timestamp: int
    type: str
    details: dict[str, Any]


@dataclass(frozen=True)
class ClusterLibraryRecord:
    """A library on an all-purpose cluster and how its installation went."""

    cluster_id: str
    library_key: str
    position: int
    library: dict[str, Any]
    status: str
    messages: list[str]


@dataclass(frozen=True)
class SqlWarehouseRecord:
    """A SQL warehouse: its spec as created or last edited, and its state."""

    warehouse_id: str
    name: str
    spec: dict[str, Any]
    state: str
    creator_name: str | None
    created_time: int
    last_activity_time: int
    health: dict[str, Any] | None


@dataclass(frozen=True)
class SqlQueryRecord:
    """A saved SQL query; ``parameters`` in the Queries API's shape."""

    query_id: str
    display_name: str
    query_text: str
    warehouse_id: str | None
    catalog: str | None
    schema_name: str | None
    description: str | None
    parameters: list[dict[str, Any]]
    tags: list[str]
    owner_user_name: str | None
    last_modifier_user_name: str | None
    lifecycle_state: str
    created_time: int
    updated_time: int
