"""Schedules, triggers and continuous mode (jobs-api.md §4.6), and the kinds of trigger."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from brickyard.spec.base import ApiModel, LenientInt
from brickyard.spec.enums import (
    DayOfWeek,
    JobCompletionIfStatus,
    ModelTriggerCondition,
    PauseStatus,
    PeriodicUnit,
    SqlConditionTriggerMode,
    TableUpdateCondition,
    TaskRetryMode,
)

_MIN_TRIGGER_SECONDS = 60


class TriggerKind(StrEnum):
    """What starts a job's runs: the field of job settings (or of a ``triggers[]`` entry) that
    holds it. The values are those field names, and the ``kind`` of the stored trigger rows."""

    SCHEDULE = "schedule"
    """A Quartz cron expression in a Java time zone (``schedule``)."""
    CONTINUOUS = "continuous"
    """Exactly one run kept active, restarted when it ends (``continuous``)."""
    FILE_ARRIVAL = "file_arrival"
    """New files under a watched location (``trigger.file_arrival``)."""
    PERIODIC = "periodic"
    """Every ``interval`` ``unit`` (``trigger.periodic``)."""
    TABLE_UPDATE = "table_update"
    """Unity Catalog tables changing (``trigger.table_update``; older SDKs send ``table``)."""
    JOB_COMPLETION = "job_completion"
    """Other jobs completing (``trigger.job_completion``)."""
    MODEL = "model"
    """A model-registry event (``trigger.model``)."""


class SqlConditionConfiguration(ApiModel):
    """A SQL query that gates a fired schedule or trigger."""

    sql_query_id: str
    warehouse_id: str
    trigger_mode: SqlConditionTriggerMode | None = None


class CronSchedule(ApiModel):
    """A Quartz cron schedule in a Java time zone."""

    quartz_cron_expression: str
    timezone_id: str
    pause_status: PauseStatus | None = None
    sql_condition: SqlConditionConfiguration | None = None


class FileArrivalTriggerConfiguration(ApiModel):
    """Start a run when new files arrive under ``url``."""

    url: str
    min_time_between_triggers_seconds: LenientInt | None = Field(
        default=None, ge=_MIN_TRIGGER_SECONDS
    )
    wait_after_last_change_seconds: LenientInt | None = Field(default=None, ge=_MIN_TRIGGER_SECONDS)


class PeriodicTriggerConfiguration(ApiModel):
    """Start a run every ``interval`` ``unit``."""

    interval: LenientInt = Field(ge=1)
    unit: PeriodicUnit


class TableUpdateTriggerConfiguration(ApiModel):
    """Start a run when tables change."""

    table_names: list[str]
    condition: TableUpdateCondition | None = None
    min_time_between_triggers_seconds: LenientInt | None = Field(default=None, ge=0)
    wait_after_last_change_seconds: LenientInt | None = Field(default=None, ge=0)


class JobCompletionTriggerJob(ApiModel):
    """A job watched by a job-completion trigger."""

    workspace_id: str
    job_id: str


class JobCompletionTriggerConfiguration(ApiModel):
    """Start a run when other jobs complete."""

    jobs: list[JobCompletionTriggerJob] = Field(max_length=10)
    if_status: JobCompletionIfStatus | None = None


class ModelTriggerConfiguration(ApiModel):
    """Start a run on a model-registry event."""

    condition: ModelTriggerCondition
    securable_name: str | None = None
    aliases: list[str] | None = None
    min_time_between_triggers_seconds: LenientInt | None = Field(default=None, ge=0)
    wait_after_last_change_seconds: LenientInt | None = Field(default=None, ge=0)


class TriggerSettings(ApiModel):
    """The job's ``trigger``: one of file arrival, periodic, table update, job completion, model.

    ``table`` is the deprecated alias of ``table_update`` that older SDKs send.
    """

    pause_status: PauseStatus | None = None
    file_arrival: FileArrivalTriggerConfiguration | None = None
    periodic: PeriodicTriggerConfiguration | None = None
    table_update: TableUpdateTriggerConfiguration | None = None
    table: TableUpdateTriggerConfiguration | None = None
    job_completion: JobCompletionTriggerConfiguration | None = None
    model: ModelTriggerConfiguration | None = None
    sql_condition: SqlConditionConfiguration | None = None


class MaintenanceWindow(ApiModel):
    """A weekly window in which a continuous job is restarted."""

    day_of_week: DayOfWeek
    start_hour: LenientInt = Field(ge=0, le=23)
    timezone_id: str


class Continuous(ApiModel):
    """Keep exactly one run of the job active."""

    pause_status: PauseStatus | None = None
    task_retry_mode: TaskRetryMode | None = None
    maintenance_window: MaintenanceWindow | None = None


class ScheduleTriggerConfiguration(ApiModel):
    """A cron schedule inside a ``triggers[]`` entry."""

    quartz_cron_expression: str
    timezone_id: str


class ContinuousTriggerConfiguration(ApiModel):
    """Continuous mode inside a ``triggers[]`` entry."""

    maintenance_window: MaintenanceWindow | None = None
    task_retry_mode: TaskRetryMode | None = None


class TriggerConfiguration(ApiModel):
    """One entry of the multi-trigger ``triggers`` list (preview)."""

    pause_status: PauseStatus | None = None
    schedule: ScheduleTriggerConfiguration | None = None
    periodic: PeriodicTriggerConfiguration | None = None
    file_arrival: FileArrivalTriggerConfiguration | None = None
    table_update: TableUpdateTriggerConfiguration | None = None
    job_completion: JobCompletionTriggerConfiguration | None = None
    model: ModelTriggerConfiguration | None = None
    continuous: ContinuousTriggerConfiguration | None = None
    sql_condition: SqlConditionConfiguration | None = None
