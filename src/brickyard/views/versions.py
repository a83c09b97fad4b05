"""The three Jobs API versions a path can name, and the differences between them.

2.0 clients (the legacy CLI) create and read single-task jobs with the task's fields at the
top level; 2.1 and 2.2 always use ``tasks[]``; 2.2 pages long arrays and enables queueing by
default (jobs-api.md §8). The single-task shape is lifted here on the way in and given back
here on the way out, so both directions read one list of fields.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Final


class ApiVersion(StrEnum):
    """A Jobs API version."""

    V2_0 = "2.0"
    V2_1 = "2.1"
    V2_2 = "2.2"


SINGLE_TASK_FIELDS: Final = (
    "existing_cluster_id",
    "new_cluster",
    "libraries",
    "notebook_task",
    "spark_jar_task",
    "spark_python_task",
    "spark_submit_task",
    "pipeline_task",
    "python_wheel_task",
    "sql_task",
    "dbt_task",
    "run_job_task",
    "max_retries",
    "min_retry_interval_millis",
    "retry_on_timeout",
)
"""Task fields a legacy (2.0-style, ADF, Airflow) request may put at the top level."""

_TASK_TYPE_FIELDS: Final = tuple(f for f in SINGLE_TASK_FIELDS if f.endswith("_task"))
_INVALID_KEY_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
DEFAULT_TASK_KEY = "main"


def has_single_task_shape(body: dict[str, Any]) -> bool:
    """Whether a create/submit body carries a task type at the top level and no ``tasks``."""
    return not body.get("tasks") and any(body.get(name) is not None for name in _TASK_TYPE_FIELDS)


def single_task_key(name: Any) -> str:
    """The task key of a job made from the single-task shape: its name, made a valid key."""
    text = _INVALID_KEY_CHARS.sub("_", name).strip("_") if isinstance(name, str) else ""
    return text[:100] or DEFAULT_TASK_KEY


def lift_single_task(body: dict[str, Any], *, name: Any) -> dict[str, Any]:
    """Move the top-level task fields of a single-task body into ``tasks[0]``.

    The result is marked ``format: SINGLE_TASK`` so a 2.0 read gives the shape back.
    """
    task: dict[str, Any] = {"task_key": single_task_key(name)}
    rest: dict[str, Any] = {}
    for key, value in body.items():
        if key in SINGLE_TASK_FIELDS:
            if value is not None:
                task[key] = value
        else:
            rest[key] = value
    rest["tasks"] = [task]
    rest["format"] = "SINGLE_TASK"
    return rest


def flatten_single_task(settings: dict[str, Any]) -> dict[str, Any]:
    """A 2.0 view of stored settings: a SINGLE_TASK job's task goes back to the top level."""
    tasks = settings.get("tasks") or []
    if settings.get("format") != "SINGLE_TASK" or len(tasks) != 1:
        return {**settings, "format": "MULTI_TASK"} if "format" in settings else settings
    flat = {k: v for k, v in settings.items() if k != "tasks"}
    for key, value in tasks[0].items():
        if key in SINGLE_TASK_FIELDS:
            flat[key] = value
    return flat


def multi_task_view(settings: dict[str, Any]) -> dict[str, Any]:
    """A 2.1/2.2 view of stored settings: always ``format: MULTI_TASK``."""
    return {**settings, "format": "MULTI_TASK"}
