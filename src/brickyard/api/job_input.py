"""Job settings as clients send them, made into what brickyard stores and runs.

Per version (jobs-api.md §8): a 2.0-style single-task body is lifted into ``tasks[0]``; the
``format`` a client sends is ignored; 2.2 enables queueing unless the body says otherwise.

A notebook in the workspace is named by an absolute path, as Databricks requires of API
clients; a relative one is refused rather than resolved against the server's working folder.
(Job files run by ``brickyard run`` keep resolving relative paths against the file's folder:
they never come through here.)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from brickyard.api.job_warnings import log_job_warnings
from brickyard.errors import InvalidInputError, JobValidationError
from brickyard.spec import JobSettings, Source, TaskType, parse_job_settings
from brickyard.views import ApiVersion, has_single_task_shape, lift_single_task

UNTITLED = "Untitled"


def settings_from_request(
    raw: Any, version: ApiVersion, *, field: str = "", name_field: str = "name"
) -> JobSettings:
    """Validated settings from a create/reset/submit body (``field`` names where it came from
    in error messages, e.g. ``new_settings``)."""
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{field or 'the request body'}: expected a JSON object")
    body = {k: v for k, v in raw.items() if k != "format"}
    if has_single_task_shape(body):
        body = lift_single_task(body, name=body.get(name_field) or UNTITLED)
    if version is ApiVersion.V2_2 and body.get("queue") is None:
        body["queue"] = {"enabled": True}
    settings = validated(body, field)
    check_notebook_paths(settings.to_api(), field)
    return settings


def check_notebook_paths(raw: Mapping[str, Any], field: str = "") -> None:
    """Refuse a relative ``notebook_path`` of a notebook in the workspace in ``raw`` settings
    (a task whose ``source`` is WORKSPACE, or unset in a job without ``git_source``)."""
    has_git_source = raw.get("git_source") is not None
    prefix = f"{field}." if field else ""
    for where, task in _tasks(raw.get("tasks") or [], "tasks"):
        notebook = task.get(TaskType.NOTEBOOK.value)
        if not isinstance(notebook, Mapping):
            continue
        path = notebook.get("notebook_path")
        source = notebook.get("source") or (Source.GIT if has_git_source else Source.WORKSPACE)
        if (
            source == Source.WORKSPACE
            and isinstance(path, str)
            and not path.startswith(("/", "{{"))  # a {{reference}} is resolved at run time
        ):
            raise InvalidInputError(
                f"{prefix}{where}.{TaskType.NOTEBOOK.value}.notebook_path: "
                f"Invalid notebook_path {path!r}: "
                "a notebook in the workspace must be named by an absolute path starting with "
                "'/' (relative paths are only for a GIT source)"
            )


def _tasks(tasks: Any, prefix: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(path, task)`` of every task, the nested task of a for-each task too."""
    if not isinstance(tasks, list):
        return
    for index, task in enumerate(tasks):
        if not isinstance(task, Mapping):
            continue
        where = f"{prefix}[{index}]"
        yield where, task
        for_each = task.get("for_each_task")
        if isinstance(for_each, Mapping) and isinstance(for_each.get("task"), Mapping):
            yield f"{where}.for_each_task.task", for_each["task"]


def validated(body: dict[str, Any], field: str = "") -> JobSettings:
    """``body`` checked as job settings; problems are reported under ``field``, what brickyard
    will not act on is logged."""
    try:
        settings = parse_job_settings(body)
    except JobValidationError as exc:
        if not field:
            raise
        raise InvalidInputError(
            "; ".join(
                f"{field}.{p.path}: {p.message}" if p.path else f"{field}: {p.message}"
                for p in exc.problems
            )
        ) from exc
    log_job_warnings(settings)
    return settings


def stored_settings(settings: JobSettings) -> dict[str, Any]:
    """What is stored for a job: the settings as given, named ``Untitled`` when unnamed."""
    stored = settings.to_api()
    stored.setdefault("name", UNTITLED)
    return stored
