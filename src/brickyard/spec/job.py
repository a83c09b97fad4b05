"""JobSettings and the job-level objects around it (jobs-api.md §4.1, §4.8)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PrivateAttr

from brickyard.spec.base import ApiModel, LenientInt, LenientStr, StrMap
from brickyard.spec.compute import JobCluster, JobEnvironment, JobEnvironmentVariables
from brickyard.spec.enums import (
    Format,
    GitProvider,
    JobDeploymentKind,
    JobEditMode,
    JobSourceDirtyState,
    PerformanceTarget,
)
from brickyard.spec.notifications import (
    JobEmailNotifications,
    JobNotificationSettings,
    JobsHealthRules,
    QueueSettings,
    WebhookNotifications,
)
from brickyard.spec.tasks import Task
from brickyard.spec.triggers import Continuous, CronSchedule, TriggerConfiguration, TriggerSettings

PARAMETER_NAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
"""What a job parameter name may be."""

MAX_NAME_BYTES = 4096
MAX_TAGS = 25
MAX_TASKS = 1000
MAX_CONCURRENT_RUNS = 1000
DEFAULT_MAX_CONCURRENT_RUNS = 1


def _check_parameter_name(value: str) -> str:
    if not PARAMETER_NAME_PATTERN.fullmatch(value):
        raise ValueError(
            f"parameter name {value!r} may contain only letters, digits, '_', '.' and '-'"
        )
    return value


def _check_name_bytes(value: str) -> str:
    size = len(value.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise ValueError(f"name is {size} bytes long; at most {MAX_NAME_BYTES} are allowed")
    return value


_PROVIDERS_BY_LOWER = {provider.value.lower(): provider.value for provider in GitProvider}


def _canonical_provider(value: Any) -> Any:
    # git_provider is matched case-insensitively on input ("github" -> "gitHub").
    if isinstance(value, str):
        return _PROVIDERS_BY_LOWER.get(value.lower(), value)
    return value


class JobParameterDefinition(ApiModel):
    """A job-level parameter and its default (which may contain dynamic value references)."""

    name: Annotated[str, AfterValidator(_check_parameter_name)]
    default: LenientStr


class JobRunAs(ApiModel):
    """The identity a job runs as: one of user, service principal or group."""

    user_name: str | None = None
    service_principal_name: str | None = None
    group_name: str | None = None


class GitSnapshot(ApiModel):
    """The commit a run used (read-only)."""

    used_commit: str | None = None


class JobSource(ApiModel):
    """Where a git-sourced job definition comes from."""

    job_config_path: str
    import_from_git_branch: str
    dirty_state: JobSourceDirtyState | None = None


class SparseCheckout(ApiModel):
    """The paths to check out of the repository."""

    patterns: list[str] | None = None


class GitSource(ApiModel):
    """The repository that GIT-sourced tasks read from."""

    git_url: str
    git_provider: Annotated[GitProvider, BeforeValidator(_canonical_provider)]
    git_branch: str | None = None
    git_tag: str | None = None
    git_commit: str | None = None
    git_snapshot: GitSnapshot | None = None
    job_source: JobSource | None = None
    sparse_checkout: SparseCheckout | None = None


class JobDeployment(ApiModel):
    """How the job was deployed (bundles set it)."""

    kind: JobDeploymentKind
    deployment_id: str | None = None
    version_id: str | None = None
    metadata_file_path: str | None = None


class JobSettings(ApiModel):
    """The settings of a job: the body of jobs/create and ``Job.settings``.

    Build it with :func:`brickyard.spec.parse_job_settings`, which also runs the cross-field
    checks (dependencies, cycles, compute, references) that a model alone cannot.
    """

    name: Annotated[str, AfterValidator(_check_name_bytes)] | None = None
    description: str | None = Field(default=None, max_length=27_700)
    tasks: list[Task] | None = Field(default=None, max_length=MAX_TASKS)
    job_clusters: list[JobCluster] | None = None
    environments: list[JobEnvironment] | None = None
    environment_variables: list[JobEnvironmentVariables] | None = Field(default=None, max_length=10)
    parameters: list[JobParameterDefinition] | None = None
    git_source: GitSource | None = None
    schedule: CronSchedule | None = None
    trigger: TriggerSettings | None = None
    triggers: list[TriggerConfiguration] | None = None
    continuous: Continuous | None = None
    max_concurrent_runs: LenientInt | None = Field(default=None, ge=0, le=MAX_CONCURRENT_RUNS)
    timeout_seconds: LenientInt | None = Field(default=None, ge=0)
    queue: QueueSettings | None = None
    health: JobsHealthRules | None = None
    email_notifications: JobEmailNotifications | None = None
    webhook_notifications: WebhookNotifications | None = None
    notification_settings: JobNotificationSettings | None = None
    run_as: JobRunAs | None = None
    tags: StrMap | None = Field(default=None, max_length=MAX_TAGS)
    format: Format | None = None
    edit_mode: JobEditMode | None = None
    deployment: JobDeployment | None = None
    parent_path: str | None = None
    performance_target: PerformanceTarget | None = None
    duration_target: str | None = None
    budget_policy_id: str | None = None
    usage_policy_id: str | None = None

    @property
    def effective_max_concurrent_runs(self) -> int:
        """``max_concurrent_runs``, defaulting to 1 (0 means every new run is skipped)."""
        if self.max_concurrent_runs is None:
            return DEFAULT_MAX_CONCURRENT_RUNS
        return self.max_concurrent_runs

    @property
    def queue_enabled(self) -> bool:
        """Whether over-limit runs are queued (False unless ``queue.enabled``)."""
        return self.queue is not None and self.queue.enabled

    @property
    def task_list(self) -> list[Task]:
        """The tasks, an empty list when there are none."""
        return list(self.tasks or ())

    _task_index: tuple[list[Task], int, dict[str, Task]] | None = PrivateAttr(default=None)

    @property
    def task_keys(self) -> tuple[str, ...]:
        """The task keys in definition order."""
        return tuple(task.task_key for task in self.tasks or ())

    def task(self, key: str) -> Task:
        """The task with ``task_key`` ``key``; KeyError when the job has no such task."""
        # The engine asks for every task many times: index once (rebuilt if tasks changed).
        tasks = self.tasks or []
        index = self._task_index
        if index is None or index[0] is not tasks or index[1] != len(tasks):
            index = (tasks, len(tasks), {task.task_key: task for task in tasks})
            self._task_index = index
        return index[2][key]

    def job_cluster(self, key: str) -> JobCluster:
        """The job cluster with ``job_cluster_key`` ``key``; KeyError when there is none."""
        for candidate in self.job_clusters or ():
            if candidate.job_cluster_key == key:
                return candidate
        raise KeyError(key)

    def environment(self, key: str) -> JobEnvironment:
        """The environment with ``environment_key`` ``key``; KeyError when there is none."""
        for candidate in self.environments or ():
            if candidate.environment_key == key:
                return candidate
        raise KeyError(key)
