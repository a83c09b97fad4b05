"""Wire enums of the job settings (jobs-api.md §6), spelled exactly as the Jobs API spells them.

``RunIf`` and ``ConditionOp`` live in :mod:`brickyard.states` (the engine shares them) and are
re-exported from :mod:`brickyard.spec`.
"""

from __future__ import annotations

from enum import StrEnum


class PauseStatus(StrEnum):
    """Whether a schedule, trigger or continuous job is active."""

    PAUSED = "PAUSED"
    """Not firing."""
    UNPAUSED = "UNPAUSED"
    """Firing."""


class Source(StrEnum):
    """Where a task's notebook, script, SQL file or dbt project comes from."""

    WORKSPACE = "WORKSPACE"
    """The workspace (or a local file path on brickyard)."""
    GIT = "GIT"
    """The job's ``git_source`` checkout."""


class Format(StrEnum):
    """The job format; 2.1+ always reports ``MULTI_TASK``."""

    SINGLE_TASK = "SINGLE_TASK"
    """A Jobs API 2.0 single-task job."""
    MULTI_TASK = "MULTI_TASK"
    """A job with a ``tasks`` list."""


class JobEditMode(StrEnum):
    """Whether the job may be edited in the UI."""

    UI_LOCKED = "UI_LOCKED"
    """Managed from outside (bundles set this)."""
    EDITABLE = "EDITABLE"
    """Editable in the UI."""


class PerformanceTarget(StrEnum):
    """Serverless performance mode."""

    PERFORMANCE_OPTIMIZED = "PERFORMANCE_OPTIMIZED"
    """Start fast."""
    STANDARD = "STANDARD"
    """Cost-optimised."""


class GitProvider(StrEnum):
    """The git hosting service of ``git_source``; matched case-insensitively on input."""

    GIT_HUB = "gitHub"
    """GitHub."""
    BITBUCKET_CLOUD = "bitbucketCloud"
    """Bitbucket Cloud."""
    AZURE_DEVOPS_SERVICES = "azureDevOpsServices"
    """Azure DevOps Services."""
    GIT_HUB_ENTERPRISE = "gitHubEnterprise"
    """GitHub Enterprise."""
    BITBUCKET_SERVER = "bitbucketServer"
    """Bitbucket Server."""
    GIT_LAB = "gitLab"
    """GitLab."""
    GIT_LAB_ENTERPRISE_EDITION = "gitLabEnterpriseEdition"
    """GitLab Enterprise Edition."""
    AWS_CODE_COMMIT = "awsCodeCommit"
    """AWS CodeCommit."""


class JobsHealthMetric(StrEnum):
    """The metric a health rule watches."""

    RUN_DURATION_SECONDS = "RUN_DURATION_SECONDS"
    """Expected total run time."""
    STREAMING_BACKLOG_BYTES = "STREAMING_BACKLOG_BYTES"
    """Streaming backlog size in bytes."""
    STREAMING_BACKLOG_RECORDS = "STREAMING_BACKLOG_RECORDS"
    """Streaming backlog offset lag."""
    STREAMING_BACKLOG_SECONDS = "STREAMING_BACKLOG_SECONDS"
    """Streaming consumer delay."""
    STREAMING_BACKLOG_FILES = "STREAMING_BACKLOG_FILES"
    """Outstanding streaming files."""


class JobsHealthOperator(StrEnum):
    """The comparison of a health rule."""

    GREATER_THAN = "GREATER_THAN"
    """Metric value > rule value."""


class PeriodicUnit(StrEnum):
    """The unit of a periodic trigger's interval."""

    MINUTES = "MINUTES"
    """Minutes."""
    HOURS = "HOURS"
    """Hours."""
    DAYS = "DAYS"
    """Days."""
    WEEKS = "WEEKS"
    """Weeks."""


class TableUpdateCondition(StrEnum):
    """When a table-update trigger fires."""

    ANY_UPDATED = "ANY_UPDATED"
    """Any of the tables changed."""
    ALL_UPDATED = "ALL_UPDATED"
    """Every table changed."""


class JobCompletionIfStatus(StrEnum):
    """Which outcome of the watched job fires a job-completion trigger."""

    SUCCESS = "SUCCESS"
    """The watched job succeeded (default)."""
    FAILED = "FAILED"
    """The watched job failed."""
    DONE = "DONE"
    """The watched job finished, whatever the outcome."""


class ModelTriggerCondition(StrEnum):
    """The model-registry event of a model trigger."""

    MODEL_CREATED = "MODEL_CREATED"
    """A model was created."""
    MODEL_VERSION_READY = "MODEL_VERSION_READY"
    """A model version is ready."""
    MODEL_ALIAS_SET = "MODEL_ALIAS_SET"
    """A model alias was set."""


class SqlConditionTriggerMode(StrEnum):
    """How a SQL condition gates a trigger."""

    QUERY_RETURNS_ROWS = "QUERY_RETURNS_ROWS"
    """Fire when the query returns rows."""
    RESULT_VALUE_CHANGES = "RESULT_VALUE_CHANGES"
    """Fire when the query's result changes."""


class TaskRetryMode(StrEnum):
    """Task retries of a continuous job."""

    NEVER = "NEVER"
    """Never retry a task (default)."""
    ON_FAILURE = "ON_FAILURE"
    """Retry a failed task while another task is still on its first attempt."""


class DayOfWeek(StrEnum):
    """A day of a continuous job's maintenance window."""

    MONDAY = "MONDAY"
    """Monday."""
    TUESDAY = "TUESDAY"
    """Tuesday."""
    WEDNESDAY = "WEDNESDAY"
    """Wednesday."""
    THURSDAY = "THURSDAY"
    """Thursday."""
    FRIDAY = "FRIDAY"
    """Friday."""
    SATURDAY = "SATURDAY"
    """Saturday."""
    SUNDAY = "SUNDAY"
    """Sunday."""


class JobDeploymentKind(StrEnum):
    """Who deployed the job."""

    BUNDLE = "BUNDLE"
    """An asset bundle."""
    SYSTEM_MANAGED = "SYSTEM_MANAGED"
    """The system."""


class JobSourceDirtyState(StrEnum):
    """Whether a git-sourced job definition is in sync."""

    NOT_SYNCED = "NOT_SYNCED"
    """Pending changes not yet imported."""
    DISCONNECTED = "DISCONNECTED"
    """The job was edited away from its git source."""


class RuntimeEngine(StrEnum):
    """The cluster's runtime engine."""

    NULL = "NULL"
    """Not set."""
    STANDARD = "STANDARD"
    """Standard Spark."""
    PHOTON = "PHOTON"
    """Photon."""


class DataSecurityMode(StrEnum):
    """The cluster's data security (access) mode."""

    DATA_SECURITY_MODE_AUTO = "DATA_SECURITY_MODE_AUTO"
    """Chosen by the service."""
    DATA_SECURITY_MODE_STANDARD = "DATA_SECURITY_MODE_STANDARD"
    """Standard (shared) access."""
    DATA_SECURITY_MODE_DEDICATED = "DATA_SECURITY_MODE_DEDICATED"
    """Dedicated (single user) access."""
    NONE = "NONE"
    """No isolation."""
    SINGLE_USER = "SINGLE_USER"
    """Single user."""
    USER_ISOLATION = "USER_ISOLATION"
    """Shared with user isolation."""
    LEGACY_TABLE_ACL = "LEGACY_TABLE_ACL"
    """Legacy table ACLs."""
    LEGACY_PASSTHROUGH = "LEGACY_PASSTHROUGH"
    """Legacy credential passthrough."""
    LEGACY_SINGLE_USER = "LEGACY_SINGLE_USER"
    """Legacy single user."""
    LEGACY_SINGLE_USER_STANDARD = "LEGACY_SINGLE_USER_STANDARD"
    """Legacy single user, standard."""
