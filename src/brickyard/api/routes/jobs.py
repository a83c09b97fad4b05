"""``/jobs/create|get|list|update|reset|delete|run-now`` (jobs-api.md §2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from brickyard import storage
from brickyard.api import access
from brickyard.api.access import JobPermissionLevel
from brickyard.api.auth import Principal
from brickyard.api.body import parse_body, required
from brickyard.api.dependencies import Body, Caller, Context, IdQuery, OptionalIntQuery, Version
from brickyard.api.job_input import (
    check_notebook_paths,
    settings_from_request,
    stored_settings,
    validated,
)
from brickyard.api.request_models import (
    CreateJobRequest,
    DeleteJobRequest,
    ResetJobRequest,
    RunNowRequest,
    UpdateJobRequest,
)
from brickyard.api.responses import json_response
from brickyard.engine import RunRequest
from brickyard.errors import InvalidInputError
from brickyard.params import RunOverrides
from brickyard.spec.update import merge_job_settings
from brickyard.views import (
    ApiVersion,
    decode_page_token,
    encode_page_token,
    render_job,
    render_listed_job,
)

router = APIRouter(tags=["jobs"])


MAX_LIST_LIMIT = 100
DEFAULT_LIST_LIMIT = 20


@router.post("/jobs/create", openapi_extra=CreateJobRequest.openapi())
def create_job(body: Body, ctx: Context, caller: Caller, version: Version) -> Response:
    """Create a job; the caller becomes its owner."""
    raw = dict(body)
    acl = raw.pop("access_control_list", None)
    settings = settings_from_request(raw, version)
    services = ctx.services
    with services.database.transaction() as conn:
        job = storage.create_job(
            conn,
            stored_settings(settings),
            now_ms=services.clock.now_ms(),
            creator_user_name=caller.user_name,
        )
        access.grant_owner(conn, job.job_id, caller.user_name)
        if acl:
            access.apply_access_control_list(conn, job.job_id, _acl(acl), replace=False)
    return json_response({"job_id": job.job_id})


@router.get("/jobs/get")
def get_job(
    ctx: Context,
    caller: Caller,
    version: Version,
    job_id: IdQuery,
    page_token: Annotated[str | None, Query()] = None,
) -> Response:
    """A job and its settings (2.2: long arrays paged at 100)."""
    with ctx.services.database.read() as conn:
        job = storage.read_job(conn, job_id)
        access.require_job_permission(conn, caller, job_id, JobPermissionLevel.CAN_VIEW)
    return json_response(render_job(job, version, page=decode_page_token(page_token)))


@router.get("/jobs/list")
def list_jobs(
    ctx: Context,
    caller: Caller,
    version: Version,
    limit: OptionalIntQuery = None,
    offset: OptionalIntQuery = None,
    page_token: Annotated[str | None, Query()] = None,
    name: Annotated[str | None, Query()] = None,
    expand_tasks: Annotated[bool, Query()] = False,
) -> Response:
    """Jobs by ascending id; 2.0 returns all of them, 2.1/2.2 a page."""
    if version is ApiVersion.V2_0 and limit is None and offset is None and not page_token:
        start, size = 0, None
    else:
        size = _list_limit(limit)
        start = decode_page_token(page_token) if page_token else (offset or 0)
    name = name or None
    visible_to = access.listing_filter(caller)
    with ctx.services.database.read() as conn:
        total = storage.count_jobs(conn, name=name, visible_to=visible_to)
        jobs = storage.list_jobs(
            conn, name=name, visible_to=visible_to, limit=size or total or 1, offset=start
        )
    body: dict[str, Any] = {}
    if jobs:
        body["jobs"] = [render_listed_job(j, version, expand_tasks=expand_tasks) for j in jobs]
    has_more = start + len(jobs) < total
    body["has_more"] = has_more
    if has_more:
        body["next_page_token"] = encode_page_token(start + len(jobs))
    if start > 0 and size:
        body["prev_page_token"] = encode_page_token(max(0, start - size))
    return json_response(body)


@router.post("/jobs/reset", openapi_extra=ResetJobRequest.openapi())
def reset_job(body: Body, ctx: Context, caller: Caller, version: Version) -> Response:
    """Replace a job's settings."""
    request = parse_body(ResetJobRequest, body)
    settings = settings_from_request(required(body, "new_settings"), version, field="new_settings")
    _store_settings(ctx, caller, request.job_id, lambda _current: stored_settings(settings))
    return json_response({})


@router.post("/jobs/update", openapi_extra=UpdateJobRequest.openapi())
def update_job(body: Body, ctx: Context, caller: Caller, version: Version) -> Response:
    """Merge partial settings into a job's (tasks and job clusters by key)."""
    request = parse_body(UpdateJobRequest, body)
    new_settings = body.get("new_settings") or {}
    if not isinstance(new_settings, dict):
        raise InvalidInputError("new_settings: expected a JSON object")
    new_settings = {k: v for k, v in new_settings.items() if k != "format"}

    def merged(current: dict[str, Any]) -> dict[str, Any]:
        result = merge_job_settings(current, new_settings, request.fields_to_remove or [])
        # only the tasks this update sends: a job file's stored relative paths stay valid
        check_notebook_paths(
            {"tasks": new_settings.get("tasks"), "git_source": result.get("git_source")},
            "new_settings",
        )
        return stored_settings(validated(result, "new_settings"))

    _store_settings(ctx, caller, request.job_id, merged)
    return json_response({})


@router.post("/jobs/delete", openapi_extra=DeleteJobRequest.openapi())
def delete_job(body: Body, ctx: Context, caller: Caller) -> Response:
    """Delete a job (its runs stay readable)."""
    request = parse_body(DeleteJobRequest, body)
    with ctx.services.database.transaction() as conn:
        storage.read_job(conn, request.job_id)
        access.require_job_permission(conn, caller, request.job_id, JobPermissionLevel.CAN_MANAGE)
        storage.delete_job(conn, request.job_id)
    return json_response({})


@router.post("/jobs/run-now", openapi_extra=RunNowRequest.openapi())
def run_now(body: Body, ctx: Context, caller: Caller) -> Response:
    """Start a run of a job now."""
    request = parse_body(RunNowRequest, body)
    overrides = RunOverrides.from_request(body)
    services = ctx.services
    with services.database.read() as conn:
        job = storage.read_job(conn, request.job_id)
        access.require_job_permission(
            conn, caller, request.job_id, JobPermissionLevel.CAN_MANAGE_RUN
        )
    run = services.engine.submit(
        RunRequest.for_job(
            job,
            overrides=overrides,
            only=request.only,
            idempotency_token=request.idempotency_token,
            queue_enabled=request.queue.enabled if request.queue is not None else None,
            creator_user_name=caller.user_name,
        )
    )
    return json_response({"run_id": run.run_id, "number_in_job": run.run_id})


def _store_settings(
    ctx: Context,
    caller: Principal,
    job_id: int,
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Replace a job's settings with ``change(current settings)`` (CAN_MANAGE)."""
    services = ctx.services
    with services.database.transaction() as conn:
        job = storage.read_job(conn, job_id)
        access.require_job_permission(conn, caller, job_id, JobPermissionLevel.CAN_MANAGE)
        storage.update_job_settings(
            conn, job_id, change(job.settings), now_ms=services.clock.now_ms()
        )


def _list_limit(limit: int | None) -> int:
    if limit is None or limit == 0:
        return DEFAULT_LIST_LIMIT
    if not 1 <= limit <= MAX_LIST_LIMIT:
        raise InvalidInputError(f"Invalid limit {limit}: it must be between 1 and {MAX_LIST_LIMIT}")
    return limit


def _acl(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise InvalidInputError("access_control_list: expected a list of objects")
    return value
