"""Queue, health rules and notifications of jobs and tasks (jobs-api.md §4.7)."""

from __future__ import annotations

from pydantic import Field

from brickyard.spec.base import ApiModel, LenientBool, LenientInt
from brickyard.spec.enums import JobsHealthMetric, JobsHealthOperator


class QueueSettings(ApiModel):
    """Whether runs over ``max_concurrent_runs`` wait in a queue instead of being skipped."""

    enabled: LenientBool


class JobsHealthRule(ApiModel):
    """A health threshold: warn when ``metric`` is greater than ``value``."""

    metric: JobsHealthMetric
    op: JobsHealthOperator
    value: LenientInt


class JobsHealthRules(ApiModel):
    """The health rules of a job or task."""

    rules: list[JobsHealthRule] | None = None


class JobEmailNotifications(ApiModel):
    """E-mail addresses notified on run events (job and task level share the shape)."""

    on_start: list[str] | None = None
    on_success: list[str] | None = None
    on_failure: list[str] | None = None
    on_duration_warning_threshold_exceeded: list[str] | None = None
    on_streaming_backlog_exceeded: list[str] | None = None
    on_maintenance_start: list[str] | None = None
    on_maintenance_complete: list[str] | None = None
    no_alert_for_skipped_runs: LenientBool | None = None


class Webhook(ApiModel):
    """A notification destination by id."""

    id: str


_MAX_DESTINATIONS = 3


class WebhookNotifications(ApiModel):
    """Notification destinations called on run events (at most 3 per event)."""

    on_start: list[Webhook] | None = Field(default=None, max_length=_MAX_DESTINATIONS)
    on_success: list[Webhook] | None = Field(default=None, max_length=_MAX_DESTINATIONS)
    on_failure: list[Webhook] | None = Field(default=None, max_length=_MAX_DESTINATIONS)
    on_duration_warning_threshold_exceeded: list[Webhook] | None = Field(
        default=None, max_length=_MAX_DESTINATIONS
    )
    on_streaming_backlog_exceeded: list[Webhook] | None = Field(
        default=None, max_length=_MAX_DESTINATIONS
    )
    on_maintenance_start: list[Webhook] | None = Field(default=None, max_length=_MAX_DESTINATIONS)
    on_maintenance_complete: list[Webhook] | None = Field(
        default=None, max_length=_MAX_DESTINATIONS
    )


class JobNotificationSettings(ApiModel):
    """Job-level notification switches."""

    no_alert_for_skipped_runs: LenientBool | None = None
    no_alert_for_canceled_runs: LenientBool | None = None


class TaskNotificationSettings(JobNotificationSettings):
    """Task-level notification switches."""

    alert_on_last_attempt: LenientBool | None = None
