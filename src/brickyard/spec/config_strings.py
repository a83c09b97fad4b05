"""Where dynamic value references may appear: the configuration strings of a job.

Both validation (every reference must be valid) and :mod:`brickyard.params` (every reference
is resolved) work from this one table. It walks the raw JSON of a job, so validation can
report reference problems even when other parts of the job fail to parse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from brickyard.spec.task_type import TaskType

Shape = Literal["str", "list", "map"]

TASK_CONFIG_FIELDS: tuple[tuple[str, str, Shape], ...] = (
    (TaskType.NOTEBOOK, "base_parameters", "map"),
    (TaskType.SPARK_PYTHON, "parameters", "list"),
    (TaskType.PYTHON_WHEEL, "parameters", "list"),
    (TaskType.PYTHON_WHEEL, "named_parameters", "map"),
    (TaskType.SPARK_JAR, "parameters", "list"),
    (TaskType.SPARK_SUBMIT, "parameters", "list"),
    (TaskType.SQL, "parameters", "map"),
    (TaskType.DBT, "commands", "list"),
    (TaskType.PIPELINE, "parameters", "map"),
    (TaskType.RUN_JOB, "job_parameters", "map"),
    (TaskType.RUN_JOB, "notebook_params", "map"),
    (TaskType.RUN_JOB, "python_named_params", "map"),
    (TaskType.RUN_JOB, "sql_params", "map"),
    (TaskType.RUN_JOB, "jar_params", "list"),
    (TaskType.RUN_JOB, "python_params", "list"),
    (TaskType.RUN_JOB, "spark_submit_params", "list"),
    (TaskType.RUN_JOB, "dbt_commands", "list"),
    (TaskType.CONDITION, "left", "str"),
    (TaskType.CONDITION, "right", "str"),
    (TaskType.FOR_EACH, "inputs", "str"),
    (TaskType.CLEAN_ROOMS_NOTEBOOK, "notebook_base_parameters", "map"),
    ("new_cluster", "spark_env_vars", "map"),
)
"""``(task field, sub-field, shape)`` of every task configuration string (task-type fields
named by their :class:`TaskType`)."""


def iter_job_config_strings(raw: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every configuration string of a raw job (tasks included)."""
    parameters = raw.get("parameters")
    if isinstance(parameters, list):
        for index, param in enumerate(parameters):
            if isinstance(param, Mapping) and isinstance(param.get("default"), str):
                yield f"parameters[{index}].default", param["default"]
    clusters = raw.get("job_clusters")
    if isinstance(clusters, list):
        for index, cluster in enumerate(clusters):
            if isinstance(cluster, Mapping):
                yield from _iter_shape(
                    _get(cluster, "new_cluster", "spark_env_vars"),
                    f"job_clusters[{index}].new_cluster.spark_env_vars",
                    "map",
                )
    tasks = raw.get("tasks")
    if isinstance(tasks, list):
        for index, task in enumerate(tasks):
            if isinstance(task, Mapping):
                yield from iter_task_config_strings(task, f"tasks[{index}]")


def iter_task_config_strings(task: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every configuration string of one raw task (nested for-each too)."""
    for field, sub, shape in TASK_CONFIG_FIELDS:
        yield from _iter_shape(_get(task, field, sub), f"{prefix}.{field}.{sub}", shape)
    for_each = task.get("for_each_task")
    if isinstance(for_each, Mapping) and isinstance(for_each.get("task"), Mapping):
        yield from iter_task_config_strings(for_each["task"], f"{prefix}.for_each_task.task")


def _get(obj: Mapping[str, Any], field: str, sub: str) -> Any:
    inner = obj.get(field)
    return inner.get(sub) if isinstance(inner, Mapping) else None


def _iter_shape(value: Any, path: str, shape: Shape) -> Iterator[tuple[str, str]]:
    if shape == "str" and isinstance(value, str):
        yield path, value
    elif shape == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield f"{path}[{index}]", item
    elif shape == "map" and isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, str):
                yield f"{path}.{key}", item
