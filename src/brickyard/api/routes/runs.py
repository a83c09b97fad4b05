"""``/jobs/runs/submit|get|list|cancel|cancel-all|delete|get-output|export|repair``
(jobs-api.md §2, §5, §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Final

import orjson
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection
from starlette.responses import Response

from brickyard import storage
from brickyard.api import access
from brickyard.api.access import JobPermissionLevel
from brickyard.api.auth import Principal
from brickyard.api.body import parse_body
from brickyard.api.context import ApiContext
from brickyard.api.dependencies import Body, Caller, Context, IdQuery, OptionalIntQuery, Version
from brickyard.api.job_input import UNTITLED, settings_from_request
from brickyard.api.notebook_export import export_notebook_views
from brickyard.api.request_models import (
    CancelAllRunsRequest,
    CancelRunRequest,
    DeleteRunRequest,
    RepairRunRequest,
    SubmitRunRequest,
)
from brickyard.api.responses import json_bytes_response, json_response
from brickyard.engine import RepairRequest, RunRequest
from brickyard.errors import (
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
)
from brickyard.executors.definition import TaskOutput
from brickyard.executors.outcome import read_logs_tail
from brickyard.executors.registry import task_output
from brickyard.params import RunOverrides
from brickyard.spec import JobSettings
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState, RunType
from brickyard.task_protocol import TaskFiles
from brickyard.views import (
    ApiVersion,
    decode_page_token,
    encode_page_token,
    render_job_run,
    render_listed_run,
    render_task_run_as_run,
)
from brickyard.views.cluster_instances import add_cluster_instance, clusters_used

router = APIRouter(tags=["runs"])


MAX_LIST_LIMIT: Final = 25
MAX_LIST_LIMIT_V2_0: Final = 1000
DEFAULT_LIST_LIMIT: Final = 20
SUBMIT_ONLY_FIELDS: Final = ("run_name", "idempotency_token", "access_control_list")
MULTI_TASK_OUTPUT_MESSAGE: Final = (
    "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the "
    "output of each individual task run instead."
)


@router.post("/jobs/runs/submit", openapi_extra=SubmitRunRequest.openapi())
def submit_run(body: Body, ctx: Context, caller: Caller, version: Version) -> Response:
    """Start a one-time run (no job), from ``tasks[]`` or the legacy single-task shape."""
    request = parse_body(SubmitRunRequest, body)
    raw = {k: v for k, v in body.items() if k not in SUBMIT_ONLY_FIELDS}
    run_name = request.run_name or UNTITLED
    raw["name"] = run_name
    settings = settings_from_request(raw, version)
    if version is ApiVersion.V2_2 and "queue" not in body:
        # one-time runs have no concurrency limit to queue behind
        settings = settings.model_copy(update={"queue": None})
    run = ctx.services.engine.submit(
        RunRequest(
            settings=settings,
            job_id=None,
            run_type=RunType.SUBMIT_RUN,
            idempotency_token=request.idempotency_token,
            run_name=run_name,
            creator_user_name=caller.user_name,
        )
    )
    return json_response({"run_id": run.run_id})


@router.get("/jobs/runs/get")
async def get_run(
    ctx: Context,
    caller: Caller,
    version: Version,
    run_id: IdQuery,
    include_history: Annotated[bool, Query()] = False,
    include_resolved_values: Annotated[bool, Query()] = False,
    page_token: Annotated[str | None, Query()] = None,
) -> Response:
    """A job run with one ``tasks`` entry per attempt, or a single task run.

    Clients poll this. A finished run already rendered is answered here on the event loop
    from the cache (one primary-key read); anything else is rendered in the thread pool.
    """
    page = decode_page_token(page_token)
    key = (run_id, version, include_history, include_resolved_values, page)
    cached = _cached_run_body(ctx, caller, run_id, key)
    if cached is not None:
        return json_bytes_response(cached)
    return await run_in_threadpool(_render_run, ctx, caller, key)


def _cached_run_body(
    ctx: ApiContext, caller: Principal, run_id: int, key: tuple[Any, ...]
) -> bytes | None:
    with ctx.services.database.read() as conn:
        run_version = storage.read_run_version(conn, run_id)
        if run_version is None:
            return None
        cached = ctx.run_cache.get(key, run_version)
        if cached is None or not _may_view_cached(conn, caller, run_id):
            return None
    return cached


def _render_run(ctx: ApiContext, caller: Principal, key: tuple[Any, ...]) -> Response:
    run_id, version, include_history, include_resolved_values, page = key
    services = ctx.services
    with services.database.read() as conn:
        run_version = storage.read_run_version(conn, run_id)
        run, task_run = _find_run(conn, run_id)
        access.require_run_permission(conn, caller, run, JobPermissionLevel.CAN_VIEW)
        if task_run is not None:
            single = render_task_run_as_run(
                run,
                task_run,
                base_url=ctx.base_url,
                include_resolved_values=include_resolved_values,
            )
            add_cluster_instance(single, clusters_used(conn, run.run_id, [task_run.task]))
            return json_response(single)
        task_runs = storage.list_task_runs(conn, run_id)
        clusters = clusters_used(conn, run_id, [tr.task for tr in task_runs])
        repairs = storage.list_repairs(conn, run_id) if include_history else []
        history = storage.list_state_changes(conn, run_id) if include_history and repairs else []
    body = render_job_run(
        run,
        task_runs,
        base_url=ctx.base_url,
        version=version,
        repairs=repairs,
        history=history,
        include_history=include_history,
        include_resolved_values=include_resolved_values,
        page=page,
        now_ms=services.clock.now_ms(),
    )
    for task in body.get("tasks") or ():
        add_cluster_instance(task, clusters)
    encoded = orjson.dumps(body)
    if run_version is not None:
        ctx.run_cache.put(key, run_version, encoded)
    return json_bytes_response(encoded)


@router.get("/jobs/runs/list")
def list_runs(
    ctx: Context,
    caller: Caller,
    version: Version,
    job_id: OptionalIntQuery = None,
    active_only: Annotated[bool, Query()] = False,
    completed_only: Annotated[bool, Query()] = False,
    offset: OptionalIntQuery = None,
    limit: OptionalIntQuery = None,
    page_token: Annotated[str | None, Query()] = None,
    run_type: Annotated[str | None, Query()] = None,
    expand_tasks: Annotated[bool, Query()] = False,
    start_time_from: OptionalIntQuery = None,
    start_time_to: OptionalIntQuery = None,
) -> Response:
    """Runs, newest first (start time, then run id)."""
    if active_only and completed_only:
        raise InvalidInputError("active_only and completed_only cannot both be true")
    size = _list_limit(limit, version)
    start = decode_page_token(page_token) if page_token else (offset or 0)
    kind = _run_type(run_type)
    services = ctx.services
    filters: dict[str, Any] = {
        "job_id": job_id,
        "active_only": active_only,
        "completed_only": completed_only,
        "run_type": kind,
        "start_time_from": start_time_from,
        "start_time_to": start_time_to,
        "visible_to": access.listing_filter(caller),
    }
    with services.database.read() as conn:
        runs = storage.list_runs(conn, **filters, limit=size + 1, offset=start)
        has_more = len(runs) > size
        runs = runs[:size]
        expanded = (
            {r.run_id: storage.list_task_runs(conn, r.run_id) for r in runs}
            if (expand_tasks)
            else {}
        )
    now = services.clock.now_ms()
    body: dict[str, Any] = {}
    if runs:
        body["runs"] = [
            render_listed_run(
                r,
                expanded.get(r.run_id) if expand_tasks else None,
                base_url=ctx.base_url,
                version=version,
                now_ms=now,
            )
            for r in runs
        ]
    body["has_more"] = has_more
    if has_more:
        body["next_page_token"] = encode_page_token(start + size)
    if start > 0:
        body["prev_page_token"] = encode_page_token(max(0, start - size))
    return json_response(body)


@router.post("/jobs/runs/cancel", openapi_extra=CancelRunRequest.openapi())
def cancel_run(body: Body, ctx: Context, caller: Caller) -> Response:
    """Cancel a run (or one task run); answers at once, the run ends CANCELED."""
    request = parse_body(CancelRunRequest, body)
    with ctx.services.database.read() as conn:
        run, task_run = _find_run(conn, request.run_id)
        access.require_run_permission(conn, caller, run, JobPermissionLevel.CAN_MANAGE_RUN)
    if run.life_cycle_state in TERMINAL_LIFE_CYCLE:
        return json_response({})
    if task_run is not None:
        ctx.services.engine.cancel_task_run(task_run.run_id)
    else:
        ctx.services.engine.cancel_run(run.run_id)
    return json_response({})


@router.post("/jobs/runs/cancel-all", openapi_extra=CancelAllRunsRequest.openapi())
def cancel_all_runs(body: Body, ctx: Context, caller: Caller) -> Response:
    """Cancel every active run of a job, or every queued run (of the job, or everywhere)."""
    request = parse_body(CancelAllRunsRequest, body)
    if request.job_id is None and not request.all_queued_runs:
        raise InvalidInputError("Either job_id or all_queued_runs must be set")
    with ctx.services.database.read() as conn:
        if request.job_id is not None:
            storage.read_job(conn, request.job_id)
            access.require_job_permission(
                conn, caller, request.job_id, JobPermissionLevel.CAN_MANAGE_RUN
            )
        # with a job_id the caller's right on the job was checked above; without one, only
        # the runs the caller may cancel are listed
        visible_to = (
            access.listing_filter(caller, JobPermissionLevel.CAN_MANAGE_RUN)
            if request.job_id is None
            else None
        )
        active = storage.list_active_runs(conn, job_id=request.job_id, visible_to=visible_to)
        if request.all_queued_runs:
            active = [r for r in active if r.life_cycle_state is LifeCycleState.QUEUED]
    for run in active:
        ctx.services.engine.cancel_run(run.run_id)
    return json_response({})


@router.post("/jobs/runs/delete", openapi_extra=DeleteRunRequest.openapi())
def delete_run(body: Body, ctx: Context, caller: Caller) -> Response:
    """Delete a finished job run."""
    request = parse_body(DeleteRunRequest, body)
    with ctx.services.database.transaction() as conn:
        run, task_run = _find_run(conn, request.run_id)
        access.require_run_permission(conn, caller, run, JobPermissionLevel.CAN_MANAGE)
        if task_run is not None:
            raise InvalidInputError(
                f"Run {request.run_id} is a task run of job run {run.run_id}: delete the job "
                "run instead."
            )
        if run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
            raise InvalidStateError(
                f"Run {run.run_id} is still active ({run.life_cycle_state.value}): cancel it "
                "before deleting it."
            )
        storage.delete_run(conn, run.run_id)
    return json_response({})


@router.get("/jobs/runs/get-output")
def get_run_output(ctx: Context, caller: Caller, run_id: IdQuery) -> Response:
    """A task run's output: notebook exit value, logs, error and trace."""
    with ctx.services.database.read() as conn:
        run, task_run = _find_run(conn, run_id)
        access.require_run_permission(conn, caller, run, JobPermissionLevel.CAN_VIEW)
        if task_run is None:
            task_run = _single_task_run(conn, run)
    body: dict[str, Any] = {
        "metadata": render_task_run_as_run(run, task_run, base_url=ctx.base_url)
    }
    if task_output(task_run.task) is TaskOutput.NOTEBOOK_OUTPUT:
        notebook_output: dict[str, Any] = {"truncated": task_run.exit_value_truncated}
        if task_run.exit_value is not None:
            notebook_output["result"] = task_run.exit_value
        body["notebook_output"] = notebook_output
    else:
        logs, truncated = _logs(task_run)
        if logs is not None:
            body["logs"] = logs
            body["logs_truncated"] = truncated
    if task_run.error:
        body["error"] = task_run.error
    if task_run.error_trace:
        body["error_trace"] = task_run.error_trace
    return json_response(body)


@router.get("/jobs/runs/export")
def export_run(
    ctx: Context,
    caller: Caller,
    run_id: IdQuery,
    views_to_export: Annotated[str, Query()] = "CODE",
) -> Response:
    """A notebook task run as HTML."""
    if views_to_export not in ("CODE", "DASHBOARDS", "ALL"):
        raise InvalidInputError(
            f"Invalid views_to_export {views_to_export!r}: use CODE, DASHBOARDS or ALL"
        )
    with ctx.services.database.read() as conn:
        run, task_run = _find_run(conn, run_id)
        access.require_run_permission(conn, caller, run, JobPermissionLevel.CAN_VIEW)
        if task_run is None:
            task_run = _single_task_run(conn, run)
    views = export_notebook_views(
        task_run, settings=ctx.services.settings, views_to_export=views_to_export
    )
    return json_response({"views": views})


@router.post("/jobs/runs/repair", openapi_extra=RepairRunRequest.openapi())
def repair_run(body: Body, ctx: Context, caller: Caller) -> Response:
    """Re-run tasks of a finished job run inside the same run, with the job's current
    settings; the run leaves TERMINATED before this answers."""
    request = parse_body(RepairRunRequest, body)
    services = ctx.services
    with services.database.read() as conn:
        run, task_run = _find_run(conn, request.run_id)
        access.require_run_permission(conn, caller, run, JobPermissionLevel.CAN_MANAGE_RUN)
        if task_run is not None:
            raise InvalidInputError(
                f"Run {request.run_id} is a task run: repair its job run {run.run_id}."
            )
        settings = _current_settings(conn, run)
    repair = services.engine.repair(
        RepairRequest(
            run_id=run.run_id,
            rerun_tasks=request.rerun_tasks,
            rerun_all_failed_tasks=bool(request.rerun_all_failed_tasks),
            rerun_dependent_tasks=bool(request.rerun_dependent_tasks),
            latest_repair_id=request.latest_repair_id,
            overrides=RunOverrides.from_request(body),
            settings=settings,
        )
    )
    return json_response({"repair_id": repair.repair_id})


# --- helpers --------------------------------------------------------------------------------


def _find_run(
    conn: Connection, run_id: int
) -> tuple[storage.RunRecord, storage.TaskRunRecord | None]:
    """The job run ``run_id``, or the job run of task run ``run_id`` and that task run."""
    try:
        return storage.read_run(conn, run_id), None
    except NotFoundError:
        task_run = storage.read_task_run(conn, run_id)
    return storage.read_run(conn, task_run.job_run_id), task_run


def _may_view_cached(conn: Connection, caller: Principal, run_id: int) -> bool:
    # Admins read everything; anyone else is checked against the run as usual.
    if caller.is_admin:
        return True
    return access.can_view_run(conn, caller, storage.read_run(conn, run_id))


def _single_task_run(conn: Connection, run: storage.RunRecord) -> storage.TaskRunRecord:
    task_runs = storage.list_task_runs(conn, run.run_id)
    if len({tr.task_key for tr in task_runs}) != 1:
        raise InvalidInputError(MULTI_TASK_OUTPUT_MESSAGE)
    return task_runs[-1]


def _current_settings(conn: Connection, run: storage.RunRecord) -> JobSettings | None:
    if run.job_id is None:
        return None
    try:
        job = storage.read_job(conn, run.job_id)
    except NotFoundError:
        return None
    return JobSettings.model_validate(job.settings)


def _logs(task_run: storage.TaskRunRecord) -> tuple[str | None, bool]:
    if task_run.logs is not None:
        return task_run.logs, task_run.logs_truncated
    if task_run.task_dir is None:
        return None, False
    files = TaskFiles.of(Path(task_run.task_dir))
    return read_logs_tail(files.stdout, files.stderr)


def _list_limit(limit: int | None, version: ApiVersion) -> int:
    most = MAX_LIST_LIMIT_V2_0 if version is ApiVersion.V2_0 else MAX_LIST_LIMIT
    if limit is None:
        return DEFAULT_LIST_LIMIT
    if limit == 0:
        return most
    if not 1 <= limit <= most:
        raise InvalidInputError(f"Invalid limit {limit}: it must be between 1 and {most}")
    return limit


def _run_type(value: str | None) -> RunType | None:
    if not value:
        return None
    try:
        return RunType(value)
    except ValueError:
        allowed = ", ".join(t.value for t in RunType)
        raise InvalidInputError(f"Invalid run_type {value!r}: use one of {allowed}") from None
