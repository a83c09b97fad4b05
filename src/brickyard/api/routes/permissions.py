"""``/permissions/jobs/{job_id}`` and its ``/permissionLevels`` (jobs-api.md §2, rows 17-20).

Served under ``/api/2.0`` only. Reading a job's permissions (or its permission levels) needs
CAN_VIEW on the job, as the job's permission list is visible to whoever sees the job in the
Databricks UI; changing them needs CAN_MANAGE (the Databricks jobs ACL: "Modify permissions" is
a CAN_MANAGE / IS_OWNER ability). Admins may do both on every job. An unknown job answers 404
``RESOURCE_DOES_NOT_EXIST``, as the Permissions API does for unknown objects (unlike the Jobs
API's 400).

The answer lists the direct grants (users, then groups, then service principals) and, last, the
``admins`` group with the ``CAN_MANAGE`` it inherits from the jobs root object ``/jobs/``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection
from starlette.responses import Response

from brickyard import storage
from brickyard.api import access
from brickyard.api.access import ADMINS_GROUP, LEVEL_DESCRIPTIONS, JobPermissionLevel
from brickyard.api.auth import Principal
from brickyard.api.context import ApiContext
from brickyard.api.dependencies import MAX_ID, Body, Caller, Context
from brickyard.api.request_models import AccessControlRequest, RequestModel
from brickyard.api.responses import json_response
from brickyard.errors import InvalidInputError, NotFoundError, ResourceNotFoundError

router = APIRouter(tags=["permissions"])


JOBS_ROOT = "/jobs/"
"""The object every job inherits permissions from (the admins' CAN_MANAGE comes from it)."""


class JobPermissionsRequest(RequestModel):
    """``PUT`` (replace the direct grants) or ``PATCH`` (change the listed principals only)."""

    access_control_list: list[AccessControlRequest] | None = None


@router.get("/permissions/jobs/{job_id}")
def get_job_permissions(job_id: str, ctx: Context, caller: Caller) -> Response:
    """The job's permissions: its direct grants and the admins' inherited CAN_MANAGE."""
    number = _job_number(job_id)
    with ctx.services.database.read() as conn:
        _require_job(conn, caller, number, JobPermissionLevel.CAN_VIEW)
        return json_response(_job_permissions(conn, number))


@router.put("/permissions/jobs/{job_id}", openapi_extra=JobPermissionsRequest.openapi())
def set_job_permissions(job_id: str, body: Body, ctx: Context, caller: Caller) -> Response:
    """Replace the job's direct grants (its owner stays owner unless the list names another)."""
    return _change(job_id, body, ctx, caller, replace=True)


@router.patch("/permissions/jobs/{job_id}", openapi_extra=JobPermissionsRequest.openapi())
def update_job_permissions(job_id: str, body: Body, ctx: Context, caller: Caller) -> Response:
    """Set the level of each listed principal; other grants stay."""
    return _change(job_id, body, ctx, caller, replace=False)


@router.get("/permissions/jobs/{job_id}/permissionLevels")
def get_job_permission_levels(job_id: str, ctx: Context, caller: Caller) -> Response:
    """The levels a principal can hold on the job, weakest first."""
    number = _job_number(job_id)
    with ctx.services.database.read() as conn:
        _require_job(conn, caller, number, JobPermissionLevel.CAN_VIEW)
    levels = [
        {"permission_level": str(level), "description": LEVEL_DESCRIPTIONS[level]}
        for level in JobPermissionLevel
    ]
    return json_response({"permission_levels": levels})


def _change(
    job_id: str, body: dict[str, Any], ctx: ApiContext, caller: Principal, *, replace: bool
) -> Response:
    number = _job_number(job_id)
    acl = body.get("access_control_list")
    with ctx.services.database.transaction() as conn:
        _require_job(conn, caller, number, JobPermissionLevel.CAN_MANAGE)
        access.apply_access_control_list(conn, number, acl, replace=replace)
        return json_response(_job_permissions(conn, number))


def _job_number(job_id: str) -> int:
    """The path's job id as a number; the SDK sends it as a string segment."""
    text = job_id.strip()
    if not text.isdecimal():
        raise InvalidInputError(f"job_id must be a job's numeric id, got {job_id!r}.")
    number = int(text)
    if number > MAX_ID:
        # job ids are 64-bit; a larger one names no job (and no database column holds it)
        raise ResourceNotFoundError(f"Job {number} does not exist.")
    return number


def _require_job(
    conn: Connection, caller: Principal, job_id: int, level: JobPermissionLevel
) -> None:
    """404 for an unknown job, then 403 unless the caller holds ``level`` on it."""
    try:
        storage.read_job(conn, job_id)
    except NotFoundError as exc:
        raise ResourceNotFoundError(str(exc)) from exc
    access.require_job_permission(conn, caller, job_id, level)


def _job_permissions(conn: Connection, job_id: int) -> dict[str, Any]:
    """The JobPermissions object of ``job_id``."""
    entries: list[dict[str, Any]] = [
        {
            grant.principal_type: grant.principal,
            "all_permissions": [{"permission_level": grant.permission_level, "inherited": False}],
        }
        for grant in storage.list_job_permissions(conn, job_id)
    ]
    entries.append(
        {
            "group_name": ADMINS_GROUP,
            "all_permissions": [
                {
                    "permission_level": str(JobPermissionLevel.CAN_MANAGE),
                    "inherited": True,
                    "inherited_from_object": [JOBS_ROOT],
                }
            ],
        }
    )
    return {"object_id": f"/jobs/{job_id}", "object_type": "job", "access_control_list": entries}
