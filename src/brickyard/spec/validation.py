"""Parse and validate job settings, reporting every problem at once with its field path.

Field-level rules (types, enums, ranges, patterns) are pydantic's; the cross-field rules
(dependencies, cycles, one task type, compute selectors, references...) run on the raw JSON,
so a job with a type error still gets its dependency and reference problems reported too.
Whether its schedules and triggers can run (:mod:`brickyard.spec.trigger_validation`: Quartz
expression, time zone, watched location) is checked last, on settings valid otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Sized
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from brickyard.errors import JobValidationError, Problem
from brickyard.spec.config_strings import iter_job_config_strings
from brickyard.spec.job import JobSettings
from brickyard.spec.references import find_references, reference_problem
from brickyard.spec.task_type import TASK_TYPE_FIELDS
from brickyard.spec.tasks import COMPUTE_SELECTORS
from brickyard.spec.trigger_validation import combination_problems, runnable_problems

_OUTCOMES = ("true", "false")


def parse_job_settings(raw: Mapping[str, Any], *, source: str | None = None) -> JobSettings:
    """Validate ``raw`` job settings and return the model.

    Raises :class:`~brickyard.errors.JobValidationError` listing every problem found, each with
    a path such as ``tasks[2].depends_on[0].task_key``; ``source`` (a file name) prefixes the
    message.
    """
    return _parse(raw, source=source, check_runnable=True)


def parse_stored_settings(raw: Mapping[str, Any], *, source: str | None = None) -> JobSettings:
    """The model of settings that were validated when they were saved (a run's snapshot).

    Whether the schedules and triggers can fire depends on the environment (Java time-zone
    ids, fsspec backends) and is not asked again: a run that already exists never becomes
    unloadable because a backend was uninstalled since it was created.
    """
    return _parse(raw, source=source, check_runnable=False)


def _parse(raw: Mapping[str, Any], *, source: str | None, check_runnable: bool) -> JobSettings:
    if not isinstance(raw, Mapping):
        raise JobValidationError([Problem("", "job settings must be a JSON object")], source)
    problems: list[Problem] = []
    settings: JobSettings | None = None
    try:
        settings = JobSettings.model_validate(dict(raw))
    except ValidationError as exc:
        problems.extend(_problem_from_pydantic(error, raw) for error in exc.errors())
    problems.extend(check_job(raw))
    if problems or settings is None:
        raise JobValidationError(_unique(problems), source)
    if check_runnable:
        # these read the model, so they come once every other rule holds
        problems.extend(runnable_problems(settings))
    if problems:
        raise JobValidationError(problems, source)
    return settings


def _unique(problems: Sequence[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# --- pydantic errors -----------------------------------------------------------------------


def format_path(loc: Sequence[int | str]) -> str:
    """``("tasks", 2, "depends_on", 0)`` -> ``tasks[2].depends_on[0]``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _problem_from_pydantic(error: ErrorDetails, raw: Mapping[str, Any]) -> Problem:
    loc = tuple(error["loc"])
    message = _readable_message(error)
    key = _task_key_at(raw, loc)
    if key is not None and loc[2:]:
        message = f"in task {key!r}: {message}"
    return Problem(format_path(loc), message)


def _task_key_at(raw: Mapping[str, Any], loc: tuple[int | str, ...]) -> str | None:
    if len(loc) < 2 or loc[0] != "tasks" or not isinstance(loc[1], int):
        return None
    tasks = raw.get("tasks")
    if isinstance(tasks, list) and 0 <= loc[1] < len(tasks) and isinstance(tasks[loc[1]], dict):
        key = tasks[loc[1]].get("task_key")
        return key if isinstance(key, str) else None
    return None


def _readable_message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"invalid value {value!r}; allowed values: {', '.join(allowed)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected an object, got {_type_name(value)}"
    if kind == "list_type":
        return f"expected a list, got {_type_name(value)}"
    if kind == "string_type":
        return f"expected a string, got {_type_name(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, got {value!r}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, got {value!r}"
    if kind == "too_long":
        actual = ctx.get("actual_length") or (len(value) if isinstance(value, Sized) else "more")
        return f"at most {ctx.get('max_length')} items allowed, got {actual}"
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} items required, got {ctx.get('actual_length')}"
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters allowed"
    return str(error["msg"])


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


# --- cross-field rules ---------------------------------------------------------------------


def check_job(raw: Mapping[str, Any]) -> list[Problem]:
    """The cross-field problems of raw job settings (pydantic checks the fields themselves)."""
    tasks = [t if isinstance(t, Mapping) else {} for t in _list(raw.get("tasks"))]
    problems: list[Problem] = []
    keys = _task_keys(tasks, problems)
    cluster_keys = _unique_keys(raw, "job_clusters", "job_cluster_key", problems)
    environment_keys = _unique_keys(raw, "environments", "environment_key", problems)
    condition_keys = {
        key for key, index in keys.items() if tasks[index].get("condition_task") is not None
    }
    for index, task in enumerate(tasks):
        prefix = f"tasks[{index}]"
        _check_dependencies(task, prefix, keys, condition_keys, problems)
        _check_task_shape(task, prefix, cluster_keys, environment_keys, problems)
    problems.extend(_cycle_problems(tasks, keys))
    _check_parameters(raw, problems)
    problems.extend(combination_problems(raw))
    task_keys = frozenset(keys)
    for path, text in iter_job_config_strings(raw):
        for ref in find_references(text):
            message = reference_problem(ref, task_keys)
            if message is not None:
                problems.append(Problem(path, message))
    return problems


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _label(task: Mapping[str, Any]) -> str:
    key = task.get("task_key")
    return f"task {key!r}" if isinstance(key, str) else "task"


def _task_keys(tasks: list[Mapping[str, Any]], problems: list[Problem]) -> dict[str, int]:
    """Task key -> index of its first task; duplicates are problems."""
    keys: dict[str, int] = {}
    for index, task in enumerate(tasks):
        key = task.get("task_key")
        if not isinstance(key, str):
            continue
        if key in keys:
            problems.append(
                Problem(
                    f"tasks[{index}].task_key",
                    f"duplicate task_key {key!r} (also tasks[{keys[key]}])",
                )
            )
        else:
            keys[key] = index
    return keys


def _unique_keys(
    raw: Mapping[str, Any], field: str, key_field: str, problems: list[Problem]
) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(_list(raw.get(field))):
        key = item.get(key_field) if isinstance(item, Mapping) else None
        if not isinstance(key, str):
            continue
        if key in seen:
            problems.append(
                Problem(f"{field}[{index}].{key_field}", f"duplicate {key_field} {key!r}")
            )
        seen.add(key)
    return seen


def _check_dependencies(
    task: Mapping[str, Any],
    prefix: str,
    keys: Mapping[str, int],
    condition_keys: set[str],
    problems: list[Problem],
) -> None:
    own_key = task.get("task_key")
    label = _label(task)
    seen: set[str] = set()
    for index, dep in enumerate(_list(task.get("depends_on"))):
        if not isinstance(dep, Mapping):
            continue
        path = f"{prefix}.depends_on[{index}]"
        dep_key = dep.get("task_key")
        if not isinstance(dep_key, str):
            continue
        if dep_key == own_key:
            problems.append(Problem(f"{path}.task_key", f"{label} depends on itself"))
        elif dep_key not in keys:
            problems.append(
                Problem(f"{path}.task_key", f"{label} depends on unknown task {dep_key!r}")
            )
        elif dep_key in seen:
            problems.append(
                Problem(f"{path}.task_key", f"{label} lists dependency {dep_key!r} twice")
            )
        seen.add(dep_key)
        outcome = dep.get("outcome")
        if outcome is None:
            continue
        if isinstance(outcome, bool):
            outcome = "true" if outcome else "false"
        if outcome not in _OUTCOMES:
            problems.append(
                Problem(f"{path}.outcome", f'outcome must be "true" or "false", got {outcome!r}')
            )
        if dep_key in keys and dep_key not in condition_keys:
            problems.append(
                Problem(
                    f"{path}.outcome",
                    "Outcomes can only be specified for if/else condition dependencies "
                    f"({label} depends on {dep_key!r}, which is not a condition_task)",
                )
            )


def _task_types(task: Mapping[str, Any]) -> list[str]:
    return [
        name
        for name, value in task.items()
        if isinstance(name, str) and name.endswith("_task") and value is not None
    ]


def _check_task_shape(
    task: Mapping[str, Any],
    prefix: str,
    cluster_keys: set[str],
    environment_keys: set[str],
    problems: list[Problem],
    *,
    nested: bool = False,
) -> None:
    """One task type, at most one compute selector, known cluster/environment keys."""
    label = _label(task)
    types = _task_types(task)
    if not types:
        problems.append(
            Problem(
                prefix,
                f"{label} has no task type; set one of {', '.join(TASK_TYPE_FIELDS)}",
            )
        )
    elif len(types) > 1:
        problems.append(
            Problem(
                prefix, f"{label} sets several task types ({', '.join(types)}); set exactly one"
            )
        )
    selectors = [name for name in COMPUTE_SELECTORS if task.get(name) is not None]
    if len(selectors) > 1:
        problems.append(
            Problem(
                prefix,
                f"{label} sets several compute selectors ({', '.join(selectors)}); set at most one",
            )
        )
    cluster_key = task.get("job_cluster_key")
    if isinstance(cluster_key, str) and cluster_key not in cluster_keys:
        known = ", ".join(sorted(cluster_keys)) or "none"
        problems.append(
            Problem(
                f"{prefix}.job_cluster_key",
                f"{label} uses job cluster {cluster_key!r}, which is not in job_clusters "
                f"(defined: {known})",
            )
        )
    environment_key = task.get("environment_key")
    if isinstance(environment_key, str) and environment_key not in environment_keys:
        known = ", ".join(sorted(environment_keys)) or "none"
        problems.append(
            Problem(
                f"{prefix}.environment_key",
                f"{label} uses environment {environment_key!r}, which is not in environments "
                f"(defined: {known})",
            )
        )
    for_each = task.get("for_each_task")
    if nested or not isinstance(for_each, Mapping) or not isinstance(for_each.get("task"), Mapping):
        # A nested for_each is reported by its parent; its own task is not checked further.
        return
    inner = for_each["task"]
    inner_prefix = f"{prefix}.for_each_task.task"
    if inner.get("for_each_task") is not None:
        problems.append(
            Problem(
                f"{inner_prefix}.for_each_task",
                f"{label}: the task of a for_each_task cannot itself be a for_each_task",
            )
        )
    _check_task_shape(inner, inner_prefix, cluster_keys, environment_keys, problems, nested=True)


def _cycle_problems(tasks: list[Mapping[str, Any]], keys: Mapping[str, int]) -> list[Problem]:
    """One problem per dependency cycle, named ``a -> b -> c -> a`` (each depends on the next)."""
    edges: dict[str, list[str]] = {key: [] for key in keys}
    for key, index in keys.items():
        for dep in _list(tasks[index].get("depends_on")):
            dep_key = dep.get("task_key") if isinstance(dep, Mapping) else None
            if isinstance(dep_key, str) and dep_key in keys and dep_key != key:
                edges[key].append(dep_key)
    done: set[str] = set()
    reported: set[frozenset[str]] = set()
    problems: list[Problem] = []
    # Iterative depth-first search: a 1000-task chain would overflow Python's recursion limit.
    for root in keys:
        if root in done:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_stack: set[str] = {root}
        while stack:
            node, next_edge = stack[-1]
            if next_edge == len(edges[node]):
                stack.pop()
                on_stack.discard(node)
                done.add(node)
                continue
            stack[-1] = (node, next_edge + 1)
            nxt = edges[node][next_edge]
            if nxt in on_stack:
                path = [name for name, _ in stack]
                cycle = [*path[path.index(nxt) :], nxt]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    problems.append(
                        Problem(
                            f"tasks[{keys[nxt]}].depends_on",
                            "dependency cycle: " + " -> ".join(cycle),
                        )
                    )
            elif nxt not in done:
                stack.append((nxt, 0))
                on_stack.add(nxt)
    return problems


def _check_parameters(raw: Mapping[str, Any], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for index, param in enumerate(_list(raw.get("parameters"))):
        name = param.get("name") if isinstance(param, Mapping) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            problems.append(
                Problem(f"parameters[{index}].name", f"duplicate job parameter {name!r}")
            )
        seen.add(name)
