"""Runs as ``runs/get``, ``runs/list`` and ``runs/get-output`` return them, per API version.

The run body itself comes from :func:`brickyard.views.runs.render_run`; this module adds the
version differences: 2.2 pages the long arrays at 100, lists leave ``tasks`` out unless asked,
2.0 shows a single-task run's task at the top level.
"""

from __future__ import annotations

from typing import Any, Final

from brickyard import storage
from brickyard.views.paging import encode_page_token, page_arrays, truncate_arrays
from brickyard.views.runs import render_run, render_task_run
from brickyard.views.versions import SINGLE_TASK_FIELDS, ApiVersion

PAGED_RUN_ARRAYS: Final = ("tasks", "job_clusters", "job_parameters", "repair_history")
"""The run arrays 2.2 pages at 100 entries (jobs-api.md §3)."""

_CLUSTER_FIELDS: Final = ("existing_cluster_id", "new_cluster", "job_cluster_key", "libraries")


def render_job_run(
    run: storage.RunRecord,
    task_runs: list[storage.TaskRunRecord],
    *,
    base_url: str,
    version: ApiVersion,
    repairs: list[storage.RepairRecord] | None = None,
    history: list[storage.StateChangeRecord] | None = None,
    include_history: bool = False,
    include_resolved_values: bool = False,
    page: int = 0,
    now_ms: int,
) -> dict[str, Any]:
    """A ``runs/get`` body for a job run."""
    body = render_run(
        run,
        task_runs,
        base_url=base_url,
        repairs=repairs or [],
        history=history or [],
        include_history=include_history,
        include_resolved_values=include_resolved_values,
        now_ms=now_ms,
    )
    if version is ApiVersion.V2_0:
        _add_single_task_fields(body, run.settings)
    if version is ApiVersion.V2_2:
        body, more = page_arrays(body, PAGED_RUN_ARRAYS, page)
        if more:
            body["next_page_token"] = encode_page_token(page + 1)
    return body


def render_task_run_as_run(
    run: storage.RunRecord,
    task_run: storage.TaskRunRecord,
    *,
    base_url: str,
    include_resolved_values: bool = False,
) -> dict[str, Any]:
    """A task run read on its own (``runs/get`` of a task run id, ``get-output`` metadata)."""
    body = render_task_run(
        task_run,
        base_url=base_url,
        job_id=run.job_id,
        include_resolved_values=include_resolved_values,
    )
    body.update(
        job_run_id=run.run_id,
        number_in_job=task_run.run_id,
        run_name=run.run_name,
        run_type=run.run_type.value,
        trigger=run.trigger.value,
    )
    if run.job_id is not None:
        body["job_id"] = run.job_id
    if run.creator_user_name:
        body["creator_user_name"] = run.creator_user_name
    return body


def render_listed_run(
    run: storage.RunRecord,
    task_runs: list[storage.TaskRunRecord] | None,
    *,
    base_url: str,
    version: ApiVersion,
    now_ms: int,
) -> dict[str, Any]:
    """One ``runs/list`` entry (BaseRun); ``task_runs`` given when ``expand_tasks``."""
    body = render_run(run, task_runs or [], base_url=base_url, now_ms=now_ms)
    if task_runs is None:
        del body["tasks"]
    elif version is ApiVersion.V2_2:
        body, more = truncate_arrays(body, PAGED_RUN_ARRAYS)
        if more:
            body["has_more"] = True
    if version is ApiVersion.V2_0:
        _add_single_task_fields(body, run.settings)
    return body


def _add_single_task_fields(body: dict[str, Any], settings: dict[str, Any]) -> None:
    # 2.0 run objects of single-task jobs carry the task and its cluster at the top level.
    tasks = settings.get("tasks") or []
    if settings.get("format") != "SINGLE_TASK" or len(tasks) != 1:
        return
    task = tasks[0]
    body["task"] = {
        k: v for k, v in task.items() if k.endswith("_task") and k in SINGLE_TASK_FIELDS
    }
    body["cluster_spec"] = {k: task[k] for k in _CLUSTER_FIELDS if k in task}
