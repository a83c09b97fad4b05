"""Direct grants on jobs (the ``job_permissions`` table).

A grant names a principal by kind (``user_name``, ``group_name`` or ``service_principal_name``,
spelled as the ACL request spells it) and its permission level as the wire string. What the
levels mean and how they combine is decided above storage, in :mod:`brickyard.api.access`,
which hands listings an :class:`AccessFilter` so that a non-admin's page is filtered in SQL.
Grants go away with their job (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, false, insert, or_, select

from brickyard.storage._columns import AnyRow
from brickyard.storage.schema import JOB_PERMISSIONS

PRINCIPAL_TYPES: Final = ("user_name", "group_name", "service_principal_name")
"""The principal kinds, in the order a permissions answer lists them."""

# Keeps every ``IN (...)`` list well below SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK: Final = 500


@dataclass(frozen=True)
class JobPermissionRecord:
    """One direct grant: ``principal`` (of kind ``principal_type``) holds ``permission_level``
    on job ``job_id``."""

    job_id: int
    principal_type: str
    principal: str
    permission_level: str


@dataclass(frozen=True)
class Grantee:
    """A principal a grant can name: its kind and its name."""

    principal_type: str
    principal: str


@dataclass(frozen=True)
class AccessFilter:
    """What a listing may show one caller who is not an admin, applied in the listing's SQL.

    A job is visible when one of ``grantees`` holds one of ``levels`` on it. A run is visible
    when its job is; a run without a job, or whose job is gone (its grants went with it), only
    to its creator ``creator``.
    """

    grantees: tuple[Grantee, ...]
    """Whose grants count (the caller's own names and its groups)."""
    levels: tuple[str, ...]
    """The permission levels (wire strings) that allow what the listing is for."""
    creator: str
    """The caller's user name, matched against a run's creator."""


def granted(job_id: ColumnElement[Any], access: AccessFilter) -> ColumnElement[bool]:
    """A condition, for a listing's WHERE, that holds when one of the filter's grantees holds
    one of its levels on the job ``job_id`` names (an outer query's column)."""
    if not access.grantees or not access.levels:
        return false()
    return exists().where(
        JOB_PERMISSIONS.c.job_id == job_id,
        _held_by(access.grantees),
        JOB_PERMISSIONS.c.permission_level.in_(access.levels),
    )


def list_job_permissions(conn: Connection, job_id: int) -> list[JobPermissionRecord]:
    """The direct grants on ``job_id``, by principal kind then name."""
    rows = conn.execute(
        select(JOB_PERMISSIONS)
        .where(JOB_PERMISSIONS.c.job_id == job_id)
        .order_by(JOB_PERMISSIONS.c.principal_type, JOB_PERMISSIONS.c.principal)
    )
    records = [_record(row) for row in rows]
    records.sort(key=lambda r: (_type_order(r.principal_type), r.principal))
    return records


def list_grants_to(
    conn: Connection, job_ids: Sequence[int], grantees: Collection[Grantee]
) -> list[JobPermissionRecord]:
    """The grants on any of ``job_ids`` held by any of ``grantees``."""
    if not job_ids or not grantees:
        return []
    holders = _held_by(grantees)
    unique_ids = sorted(set(job_ids))
    records: list[JobPermissionRecord] = []
    for start in range(0, len(unique_ids), _CHUNK):
        chunk = unique_ids[start : start + _CHUNK]
        stmt = select(JOB_PERMISSIONS).where(JOB_PERMISSIONS.c.job_id.in_(chunk), holders)
        records.extend(_record(row) for row in conn.execute(stmt))
    return records


def set_job_permission(
    conn: Connection, job_id: int, grantee: Grantee, permission_level: str
) -> JobPermissionRecord:
    """Give ``grantee`` exactly ``permission_level`` on ``job_id`` (replacing its grant)."""
    revoke_job_permission(conn, job_id, grantee)
    conn.execute(
        insert(JOB_PERMISSIONS).values(
            job_id=job_id,
            principal_type=grantee.principal_type,
            principal=grantee.principal,
            permission_level=permission_level,
        )
    )
    return JobPermissionRecord(job_id, grantee.principal_type, grantee.principal, permission_level)


def revoke_job_permission(conn: Connection, job_id: int, grantee: Grantee) -> bool:
    """Remove ``grantee``'s grant on ``job_id``; whether there was one."""
    result = conn.execute(
        delete(JOB_PERMISSIONS).where(
            JOB_PERMISSIONS.c.job_id == job_id,
            JOB_PERMISSIONS.c.principal_type == grantee.principal_type,
            JOB_PERMISSIONS.c.principal == grantee.principal,
        )
    )
    return result.rowcount > 0


def replace_job_permissions(
    conn: Connection, job_id: int, grants: Iterable[tuple[Grantee, str]]
) -> list[JobPermissionRecord]:
    """Make ``grants`` (grantee, level) the only direct grants on ``job_id``.

    A grantee listed twice keeps its last level.
    """
    delete_job_permissions(conn, job_id)
    latest: dict[Grantee, str] = {}
    for grantee, level in grants:
        latest[grantee] = level
    if latest:
        conn.execute(
            insert(JOB_PERMISSIONS),
            [
                {
                    "job_id": job_id,
                    "principal_type": g.principal_type,
                    "principal": g.principal,
                    "permission_level": level,
                }
                for g, level in latest.items()
            ],
        )
    return list_job_permissions(conn, job_id)


def delete_job_permissions(conn: Connection, job_id: int) -> int:
    """Remove every direct grant on ``job_id``; how many there were."""
    return conn.execute(delete(JOB_PERMISSIONS).where(JOB_PERMISSIONS.c.job_id == job_id)).rowcount


def _held_by(grantees: Collection[Grantee]) -> ColumnElement[bool]:
    return or_(
        *(
            and_(
                JOB_PERMISSIONS.c.principal_type == g.principal_type,
                JOB_PERMISSIONS.c.principal == g.principal,
            )
            for g in grantees
        )
    )


def _type_order(principal_type: str) -> int:
    try:
        return PRINCIPAL_TYPES.index(principal_type)
    except ValueError:
        return len(PRINCIPAL_TYPES)


def _record(row: AnyRow) -> JobPermissionRecord:
    return JobPermissionRecord(
        job_id=row.job_id,
        principal_type=row.principal_type,
        principal=row.principal,
        permission_level=row.permission_level,
    )
