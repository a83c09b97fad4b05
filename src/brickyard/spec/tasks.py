"""Task (``JobSettings.tasks[]``), its dependencies and the for-each task (jobs-api.md §4.3)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from brickyard.spec.base import ApiModel, LenientBool, LenientInt, LenientStr
from brickyard.spec.compute import ClusterSpec, Library
from brickyard.spec.notifications import (
    JobEmailNotifications,
    JobsHealthRules,
    TaskNotificationSettings,
    WebhookNotifications,
)
from brickyard.spec.task_type import TASK_TYPE_FIELDS, TaskType
from brickyard.spec.task_types import (
    CleanRoomsNotebookTask,
    ConditionTask,
    DbtTask,
    NotebookTask,
    PipelineTask,
    PythonWheelTask,
    RunJobTask,
    SparkJarTask,
    SparkPythonTask,
    SparkSubmitTask,
    SqlTask,
)
from brickyard.states import RunIf

TASK_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,100}")
"""What a ``task_key`` may be: 1-100 letters, digits, ``_`` and ``-``."""

COMPUTE_SELECTORS: tuple[str, ...] = (
    "job_cluster_key",
    "existing_cluster_id",
    "new_cluster",
    "environment_key",
)
"""Fields that choose a task's compute; at most one may be set."""


def _check_task_key(value: str) -> str:
    if not TASK_KEY_PATTERN.fullmatch(value):
        raise ValueError(
            f"task_key {value!r} must be 1-100 characters of letters, digits, '_' and '-'"
        )
    return value


TaskKey = Annotated[str, AfterValidator(_check_task_key)]


class TaskDependency(ApiModel):
    """A task this task waits for; ``outcome`` picks a branch of a condition task."""

    task_key: str
    outcome: LenientStr | None = None


class Task(ApiModel):
    """One task of a job: exactly one ``*_task`` field says what it runs."""

    task_key: TaskKey
    description: str | None = None
    depends_on: list[TaskDependency] | None = None
    run_if: RunIf | None = None
    disabled: LenientBool | None = None
    timeout_seconds: LenientInt | None = Field(default=None, ge=0)
    max_retries: LenientInt | None = Field(default=None, ge=-1)
    min_retry_interval_millis: LenientInt | None = Field(default=None, ge=0)
    retry_on_timeout: LenientBool | None = None
    existing_cluster_id: str | None = None
    new_cluster: ClusterSpec | None = None
    job_cluster_key: str | None = None
    environment_key: str | None = None
    compute: dict[str, Any] | None = None
    environment_variables_key: str | None = None
    libraries: list[Library] | None = None
    email_notifications: JobEmailNotifications | None = None
    webhook_notifications: WebhookNotifications | None = None
    notification_settings: TaskNotificationSettings | None = None
    health: JobsHealthRules | None = None
    disable_auto_optimization: LenientBool | None = None

    notebook_task: NotebookTask | None = None
    spark_python_task: SparkPythonTask | None = None
    python_wheel_task: PythonWheelTask | None = None
    spark_jar_task: SparkJarTask | None = None
    spark_submit_task: SparkSubmitTask | None = None
    sql_task: SqlTask | None = None
    dbt_task: DbtTask | None = None
    pipeline_task: PipelineTask | None = None
    run_job_task: RunJobTask | None = None
    condition_task: ConditionTask | None = None
    for_each_task: ForEachTask | None = None
    clean_rooms_notebook_task: CleanRoomsNotebookTask | None = None
    # Newer and product-specific task types: kept verbatim, brickyard does not run them.
    dashboard_task: dict[str, Any] | None = None
    power_bi_task: dict[str, Any] | None = None
    alert_task: dict[str, Any] | None = None
    dbt_cloud_task: dict[str, Any] | None = None
    dbt_platform_task: dict[str, Any] | None = None
    gen_ai_compute_task: dict[str, Any] | None = None
    python_operator_task: dict[str, Any] | None = None
    ai_function_task: dict[str, Any] | None = None
    ai_runtime_task: dict[str, Any] | None = None
    genie_task: dict[str, Any] | None = None
    agentic_task: dict[str, Any] | None = None

    @property
    def task_type_fields(self) -> tuple[str, ...]:
        """Every ``*_task`` field that is set, known ones first, then unknown extras (for
        messages: an unknown ``quantum_task`` has no :class:`TaskType`)."""
        known = tuple(name for name in TASK_TYPE_FIELDS if getattr(self, name) is not None)
        extras = tuple(
            name
            for name, value in (self.model_extra or {}).items()
            if name.endswith("_task") and value is not None
        )
        return known + extras

    @property
    def task_type(self) -> TaskType | None:
        """What this task runs: the first known ``*_task`` field that is set (a validated task
        has exactly one); None when there is none or only an unknown one."""
        for task_type in TaskType:
            if getattr(self, task_type.value) is not None:
                return task_type
        return None

    @property
    def effective_run_if(self) -> RunIf:
        """``run_if``, defaulting to ``ALL_SUCCESS``."""
        return self.run_if if self.run_if is not None else RunIf.ALL_SUCCESS

    @property
    def is_condition(self) -> bool:
        """Whether this is an if/else condition task."""
        return self.condition_task is not None

    @property
    def is_disabled(self) -> bool:
        """Whether the task is explicitly disabled."""
        return bool(self.disabled)

    @property
    def dependency_keys(self) -> tuple[str, ...]:
        """The task keys this task depends on, in the order given."""
        return tuple(dep.task_key for dep in self.depends_on or ())


class ForEachTask(ApiModel):
    """Run the nested ``task`` once per element of ``inputs`` (a JSON array or a reference)."""

    inputs: str
    task: Task
    concurrency: LenientInt | None = Field(default=None, ge=1, le=100)


Task.model_rebuild()
