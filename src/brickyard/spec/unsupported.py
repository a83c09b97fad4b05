"""Settings brickyard accepts and stores but does not act on yet, and where a job uses them.

Jobs written for Databricks carry settings brickyard keeps (the API returns them unchanged)
without doing what they ask: notifications, health rules, Maven libraries... Running such a
job as if they were there would hide that, so each one is a row of one table,
:func:`not_acted_on`, and :func:`unsupported_settings` names every place a job sets one. The
CLI prints them, the API logs them, a task process writes its own into its log, and README's
"Accepted but not acted on yet" list is checked against the table. When a later change makes
a setting real, its row goes, and every warning about it with it.

A row's ``field`` is a path pattern, ``[]`` standing for every element of a list
(``libraries[].maven``); per-task rows are relative to a task, so they apply to the nested
task of a ``for_each_task`` too. A setting counts as used when it holds something
(``health: {"rules": []}`` does not).

Not in the table, on purpose: what has no meaning on one machine (a cluster's size, node
types, Spark version, pools, policies; tags, budget and usage policies, performance targets)
— brickyard runs the job the same whatever they say, so warning about them on every job
would bury the warnings that matter. Task types brickyard does not run yet follow from the
executors' table (``brickyard.executors.registry.TASK_TYPES``), the trigger kinds it does not
evaluate from the trigger service's (``brickyard.triggers.evaluators.UNEVALUATED``), which
the caller passes in because spec sits below both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from brickyard.errors import Problem
from brickyard.spec.job import JobSettings
from brickyard.spec.task_paths import tasks_with_paths
from brickyard.spec.task_type import TaskType
from brickyard.spec.tasks import Task
from brickyard.spec.trigger_entries import TRIGGER_FIELDS
from brickyard.spec.triggers import TriggerKind


@dataclass(frozen=True)
class NotActedOn:
    """A setting brickyard stores without acting on it: one row of README's list."""

    field: str
    """Its path pattern (``libraries[].maven``); relative to a task when ``per_task``."""
    reason: str
    """What brickyard does instead, as the warning says it."""
    per_task: bool = False
    acted_on_for: frozenset[TaskType] = frozenset()
    """Task types that do act on it (a JAR task puts its jar libraries on its classpath):
    no warning for their tasks."""
    acted_on_when: Callable[[Task], bool] | None = None
    """Tasks that act on it by their settings (a notebook on a cluster): no warning."""

    @property
    def pattern(self) -> str:
        """The pattern from the job's settings down (``tasks[].libraries[].maven``)."""
        return f"tasks[].{self.field}" if self.per_task else self.field


_NOT_SENT = "brickyard sends no notifications yet"
_NOTIFICATIONS = (
    ("email_notifications", f"email notifications are not sent: {_NOT_SENT}"),
    ("webhook_notifications", f"webhook notifications are not called: {_NOT_SENT}"),
    ("notification_settings", f"has no effect: {_NOT_SENT}"),
    ("health", "health rules are not evaluated by brickyard yet"),
)


def _library(kind: str) -> NotActedOn:
    return NotActedOn(
        f"libraries[].{kind}",
        f"{kind} libraries are not installed by brickyard yet; the task runs without them",
        per_task=True,
    )


_JVM_TASK_TYPES = frozenset({TaskType.SPARK_JAR, TaskType.SPARK_SUBMIT})
_SPARK_CLIENT_TYPES = frozenset({TaskType.NOTEBOOK, TaskType.SPARK_PYTHON, TaskType.PYTHON_WHEEL})


def _on_a_cluster(task: Task) -> bool:
    """A Python task on a cluster: its jar and maven libraries go on the cluster's classpath
    (a task without one runs a local session, which does not load them)."""
    has_cluster = bool(task.new_cluster or task.job_cluster_key or task.existing_cluster_id)
    return has_cluster and task.task_type in _SPARK_CLIENT_TYPES


def _jvm_library(kind: str) -> NotActedOn:
    return NotActedOn(
        f"libraries[].{kind}",
        f"{kind} libraries are not installed by brickyard yet; the task runs without them",
        per_task=True,
        acted_on_for=_JVM_TASK_TYPES,
        acted_on_when=_on_a_cluster,
    )


_CLUSTER_FIELDS = (
    ("init_scripts", "init scripts are not run by brickyard yet"),
    ("cluster_log_conf", "cluster logs are not delivered; task logs stay in the run folder"),
)
_ENVIRONMENT_DEPENDENCIES = (
    "dependencies of job environments are not installed by brickyard yet; tasks using the "
    "environment run without them (task libraries are installed)"
)
_SQL_CONDITION = (
    "SQL conditions are not evaluated by brickyard yet; the schedule or trigger fires without it"
)
_GATED_ENTRIES = ("schedule", "trigger", "triggers[]")
"""The objects that may carry a ``sql_condition``."""
_CONTINUOUS_FIELDS = (
    ("task_retry_mode", "failed tasks of a continuous run are not retried by brickyard yet"),
    ("maintenance_window", "maintenance windows are not observed by brickyard yet"),
)

_FIXED_ROWS: tuple[NotActedOn, ...] = (
    *(NotActedOn(field, reason) for field, reason in _NOTIFICATIONS),
    *(NotActedOn(field, reason, per_task=True) for field, reason in _NOTIFICATIONS),
    _jvm_library("maven"),
    _jvm_library("jar"),
    _library("cran"),
    NotActedOn(
        "libraries[].egg",
        "egg libraries are not installed by brickyard; the task fails to start (use a wheel)",
        per_task=True,
    ),
    *(NotActedOn(f"new_cluster.{name}", reason, per_task=True) for name, reason in _CLUSTER_FIELDS),
    *(NotActedOn(f"job_clusters[].new_cluster.{name}", reason) for name, reason in _CLUSTER_FIELDS),
    NotActedOn("environments[].spec.dependencies", _ENVIRONMENT_DEPENDENCIES),
    NotActedOn("environments[].spec.java_dependencies", _ENVIRONMENT_DEPENDENCIES),
    NotActedOn(
        "environment_variables", "job environment variables are not set in task processes yet"
    ),
    NotActedOn(
        "git_source",
        "repositories are not checked out by brickyard yet; GIT-sourced tasks look for their "
        "files in the workspace and the job file's folder",
    ),
    NotActedOn("run_as", "tasks run as the user that runs brickyard"),
    *(NotActedOn(f"{entry}.sql_condition", _SQL_CONDITION) for entry in _GATED_ENTRIES),
    *(
        NotActedOn(f"{entry}.{name}", reason)
        for entry in ("continuous", "triggers[].continuous")
        for name, reason in _CONTINUOUS_FIELDS
    ),
)


def not_acted_on(unevaluated_triggers: Collection[TriggerKind]) -> tuple[NotActedOn, ...]:
    """Every row: the fixed ones, then one per ``trigger`` / ``triggers[]`` field that holds a
    kind in ``unevaluated_triggers`` (the trigger service's ``UNEVALUATED``)."""
    trigger_rows = tuple(
        NotActedOn(
            f"{entry}.{field}",
            f"{kind.value} triggers are not evaluated by brickyard yet; they never start the job",
        )
        for entry in ("trigger", "triggers[]")
        for field, kind in TRIGGER_FIELDS.items()
        # the deprecated `table` spelling exists only in the older single `trigger` object
        if kind in unevaluated_triggers and not (entry == "triggers[]" and field == "table")
    )
    return _FIXED_ROWS + trigger_rows


def unsupported_settings(
    settings: JobSettings, unevaluated_triggers: Collection[TriggerKind]
) -> list[Problem]:
    """Each setting of ``settings`` that brickyard stores but does not act on, with its path
    (``tasks[2].libraries[0].maven``) and what brickyard does instead; job-level ones first."""
    rows = not_acted_on(unevaluated_triggers)
    found = [
        Problem(path, row.reason)
        for row in rows
        if not row.per_task
        for path in _paths(settings, row.field.split("."), "")
    ]
    for task_path, task in tasks_with_paths(settings):
        found.extend(
            Problem(f"{task_path}.{problem.path}", problem.message)
            for problem in _task_settings(task, rows)
        )
    return found


def unsupported_task_settings(task: Task) -> list[Problem]:
    """The settings of one task that brickyard does not act on, with paths relative to the
    task (``libraries[0].maven``): what its process writes at the top of its log."""
    return _task_settings(task, _FIXED_ROWS)


def _task_settings(task: Task, rows: tuple[NotActedOn, ...]) -> list[Problem]:
    task_type = task.task_type
    return [
        Problem(path, row.reason)
        for row in rows
        if row.per_task
        and task_type not in row.acted_on_for
        and not (row.acted_on_when is not None and row.acted_on_when(task))
        for path in _paths(task, row.field.split("."), "")
    ]


def _paths(value: Any, segments: list[str], path: str) -> Iterator[str]:
    """The concrete paths under ``value`` that match ``segments`` and hold a set value."""
    if not segments:
        if _is_set(value):
            yield path
        return
    head, rest = segments[0], segments[1:]
    name = head.removesuffix("[]")
    child = _child(value, name)
    if child is None:
        return
    child_path = f"{path}.{name}" if path else name
    if head.endswith("[]"):
        for index, item in enumerate(child if isinstance(child, list) else ()):
            yield from _paths(item, rest, f"{child_path}[{index}]")
    else:
        yield from _paths(child, rest, child_path)


def _child(value: Any, name: str) -> Any:
    if isinstance(value, BaseModel):
        if name in type(value).model_fields:
            return getattr(value, name)
        return (value.model_extra or {}).get(name)
    if isinstance(value, Mapping):
        return value.get(name)
    return None


def _is_set(value: Any) -> bool:
    # an object or list with nothing in it asks for nothing: `health: {"rules": []}`
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return any(_is_set(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_is_set(item) for item in value)
    if isinstance(value, str):
        return bool(value)
    return value is not None
