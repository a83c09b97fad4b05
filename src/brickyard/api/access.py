"""Who may do what to a job or run: the checks the jobs, runs and permissions routes call.

The model is Databricks' job ACL, cut to what brickyard knows about identities:

- Admins (tokens with the admin flag) may do everything, everywhere; they are the group
  ``admins``, which holds an inherited ``CAN_MANAGE`` on every job.
- Every other caller is a user named by its token. Every user is in the group ``users``; no
  other group membership exists, so grants to other groups are kept (a deployed bundle may name
  them) but give no one anything.
- A user's level on a job is the highest of its direct grants: to its name as ``user_name`` or
  ``service_principal_name`` (a service principal's token carries its name), and to ``users``.
- Levels are ordered ``CAN_VIEW`` < ``CAN_MANAGE_RUN`` < ``CAN_MANAGE`` < ``IS_OWNER``.
- One-time (``runs/submit``) runs have no job: only admins and the run's creator see them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Connection

from brickyard import storage
from brickyard.api.auth import Principal
from brickyard.errors import InvalidInputError, NotFoundError, PermissionDeniedError

USERS_GROUP: Final = "users"
"""The group every user is in."""

ADMINS_GROUP: Final = "admins"
"""The group of admins; it inherits ``CAN_MANAGE`` on every job and takes no direct grants."""

ACL_FIELD: Final = "access_control_list"


class JobPermissionLevel(StrEnum):
    """A permission level on a job, ordered by what it allows (each allows the ones before)."""

    CAN_VIEW = "CAN_VIEW"
    """See the job, its settings and its runs."""
    CAN_MANAGE_RUN = "CAN_MANAGE_RUN"
    """Also trigger, cancel and repair runs."""
    CAN_MANAGE = "CAN_MANAGE"
    """Also edit and delete the job and change its permissions."""
    IS_OWNER = "IS_OWNER"
    """Everything CAN_MANAGE allows; exactly one user or service principal owns a job."""

    @property
    def rank(self) -> int:
        """The level's position in the order (CAN_VIEW is 0)."""
        return _ORDER.index(self)

    # Compare by rank, not alphabetically as str would: CAN_MANAGE < CAN_MANAGE_RUN as strings.
    # A plain string naming a level compares as that level; any other operand is an error.
    def __lt__(self, other: object) -> bool:
        return self.rank < _rank_of(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= _rank_of(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > _rank_of(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= _rank_of(other)


def _rank_of(other: object) -> int:
    level = parse_level(other) if isinstance(other, str) else None
    if level is None:
        raise TypeError(f"cannot order a JobPermissionLevel against {other!r}")
    return level.rank


_ORDER: Final = tuple(JobPermissionLevel)

LEVEL_DESCRIPTIONS: Final[Mapping[JobPermissionLevel, str]] = {
    JobPermissionLevel.CAN_VIEW: "Can view the job, its settings and its runs",
    JobPermissionLevel.CAN_MANAGE_RUN: "Can view the job and trigger, cancel and repair its runs",
    JobPermissionLevel.CAN_MANAGE: "Can edit and delete the job and change its permissions",
    JobPermissionLevel.IS_OWNER: "Owns the job: can do everything CAN_MANAGE allows",
}
"""What each level allows, as ``permissionLevels`` describes it."""

_LEVEL_NAMES: Final = ", ".join(_ORDER)
_KIND_NAMES: Final = ", ".join(storage.PRINCIPAL_TYPES)


def parse_level(value: str) -> JobPermissionLevel | None:
    """The level spelled ``value`` (exactly, as the API spells it), or None."""
    try:
        return JobPermissionLevel(value)
    except ValueError:
        return None


def effective_job_level(
    conn: Connection, principal: Principal, job_id: int
) -> JobPermissionLevel | None:
    """The caller's own level on ``job_id`` from direct grants (None: no access).

    Admin rights are not counted here; callers that enforce use :func:`require_job_permission`.
    """
    best: JobPermissionLevel | None = None
    for grant in storage.list_grants_to(conn, [job_id], _grantees(principal)):
        level = parse_level(grant.permission_level)
        if level is not None and (best is None or level > best):
            best = level
    return best


def has_job_permission(
    conn: Connection, principal: Principal, job_id: int, level: JobPermissionLevel
) -> bool:
    """Whether the caller holds at least ``level`` on ``job_id`` (admins always do)."""
    if principal.is_admin:
        return True
    held = effective_job_level(conn, principal, job_id)
    return held is not None and held >= level


def require_job_permission(
    conn: Connection, principal: Principal, job_id: int, level: JobPermissionLevel
) -> None:
    """Raise PermissionDeniedError unless the caller holds at least ``level`` on the job.

    The caller has already checked that the job exists.
    """
    if not has_job_permission(conn, principal, job_id, level):
        raise PermissionDeniedError(
            f"User {principal.user_name} does not have {level} permission on job {job_id}."
        )


def listing_filter(
    principal: Principal, level: JobPermissionLevel = JobPermissionLevel.CAN_VIEW
) -> storage.AccessFilter | None:
    """The rule of :func:`has_job_permission` and :func:`can_view_run` at ``level``, for a
    listing to apply in SQL (``jobs/list``, ``runs/list``, ``runs/cancel-all``); None for an
    admin, who sees everything."""
    if principal.is_admin:
        return None
    levels = tuple(held.value for held in JobPermissionLevel if held >= level)
    return storage.AccessFilter(tuple(_grantees(principal)), levels, principal.user_name)


def can_view_run(conn: Connection, principal: Principal, run: storage.RunRecord) -> bool:
    """Whether the caller may see ``run``: CAN_VIEW on its job; for a one-time run (or a run
    whose job was deleted, taking its grants along) being an admin or the run's creator."""
    return _run_allowed(conn, principal, run, JobPermissionLevel.CAN_VIEW)


def require_run_permission(
    conn: Connection, principal: Principal, run: storage.RunRecord, level: JobPermissionLevel
) -> None:
    """Raise PermissionDeniedError unless the caller may act on ``run`` at ``level`` (the rule
    of :func:`can_view_run`, with ``level`` on the job for a job's run)."""
    if _run_allowed(conn, principal, run, level):
        return
    if run.job_id is not None and _job_exists(conn, run.job_id):
        raise PermissionDeniedError(
            f"User {principal.user_name} does not have {level} permission on job {run.job_id}."
        )
    raise PermissionDeniedError(
        f"User {principal.user_name} does not have {level} permission on run {run.run_id}."
    )


def grant_owner(conn: Connection, job_id: int, user_name: str) -> None:
    """Make ``user_name`` the job's owner (at jobs/create); a previous owner loses ownership."""
    for grant in storage.list_job_permissions(conn, job_id):
        if grant.permission_level == JobPermissionLevel.IS_OWNER:
            storage.revoke_job_permission(conn, job_id, _grantee_of(grant))
    storage.set_job_permission(
        conn, job_id, storage.Grantee("user_name", user_name), JobPermissionLevel.IS_OWNER
    )


@dataclass(frozen=True)
class _AclEntry:
    index: int
    grantee: storage.Grantee
    level: JobPermissionLevel


def apply_access_control_list(
    conn: Connection, job_id: int, acl: Sequence[Any] | None, *, replace: bool
) -> None:
    """Apply an ``access_control_list`` to the job's direct grants.

    ``replace`` (permissions PUT) makes the list the job's grants; otherwise (PATCH,
    jobs/create, runs/submit) each entry sets its principal's level and other grants stay.
    Either way the job keeps exactly one owner: an ``IS_OWNER`` entry moves ownership (the
    previous owner keeps nothing it is not given), and without one the current owner stays
    owner. Every entry is checked first; InvalidInputError names the first bad one.
    """
    entries = _parse_acl(acl)
    # two concurrent changes must not both start from the same grants (PostgreSQL)
    storage.lock_job(conn, job_id)
    current = storage.list_job_permissions(conn, job_id)
    current_owner = next(
        (_grantee_of(g) for g in current if g.permission_level == JobPermissionLevel.IS_OWNER),
        None,
    )
    new_owner = next((e for e in entries if e.level == JobPermissionLevel.IS_OWNER), None)
    if new_owner is None and current_owner is not None:
        for entry in entries:
            if entry.grantee == current_owner:
                raise InvalidInputError(
                    f"{ACL_FIELD}[{entry.index}].permission_level: "
                    f"{_describe(current_owner)} owns job {job_id}; to give it {entry.level} "
                    "make another user or service principal IS_OWNER in the same request."
                )
    grants: dict[storage.Grantee, str] = {}
    if not replace:
        grants = {_grantee_of(g): g.permission_level for g in current}
    if new_owner is not None:
        if current_owner is not None:
            grants.pop(current_owner, None)
    elif current_owner is not None:
        grants[current_owner] = JobPermissionLevel.IS_OWNER
    for entry in entries:
        grants[entry.grantee] = entry.level
    storage.replace_job_permissions(conn, job_id, grants.items())


def _parse_acl(acl: Sequence[Any] | None) -> list[_AclEntry]:
    """Check every entry; a principal listed twice keeps its highest level."""
    if acl is None:
        return []
    if isinstance(acl, str | bytes) or not isinstance(acl, Sequence):
        raise InvalidInputError(
            f"{ACL_FIELD} must be a list of objects, each with permission_level and one of "
            f"{_KIND_NAMES}."
        )
    by_grantee: dict[storage.Grantee, _AclEntry] = {}
    owner: _AclEntry | None = None
    for index, raw in enumerate(acl):
        entry = _parse_entry(index, raw)
        if entry.level == JobPermissionLevel.IS_OWNER:
            if owner is not None and owner.grantee != entry.grantee:
                raise InvalidInputError(
                    f"{ACL_FIELD}[{index}].permission_level: a job has exactly one owner, and "
                    f"{ACL_FIELD}[{owner.index}] already makes {_describe(owner.grantee)} "
                    "IS_OWNER."
                )
            owner = entry
        known = by_grantee.get(entry.grantee)
        if known is None or entry.level > known.level:
            by_grantee[entry.grantee] = entry
    return sorted(by_grantee.values(), key=lambda e: e.index)


def _parse_entry(index: int, raw: Any) -> _AclEntry:
    where = f"{ACL_FIELD}[{index}]"
    if not isinstance(raw, Mapping):
        raise InvalidInputError(
            f"{where} must be an object with permission_level and one of {_KIND_NAMES}."
        )
    kinds = [kind for kind in storage.PRINCIPAL_TYPES if raw.get(kind) is not None]
    if len(kinds) != 1:
        got = " and ".join(kinds) if kinds else "none"
        raise InvalidInputError(f"{where}: give exactly one of {_KIND_NAMES} (got {got}).")
    kind = kinds[0]
    name = raw[kind]
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(f"{where}.{kind} must be a non-empty string.")
    raw_level = raw.get("permission_level")
    if raw_level is None:
        raise InvalidInputError(f"{where}.permission_level is required (one of {_LEVEL_NAMES}).")
    level = parse_level(raw_level) if isinstance(raw_level, str) else None
    if level is None:
        raise InvalidInputError(
            f"{where}.permission_level: {raw_level!r} is not one of {_LEVEL_NAMES}."
        )
    if kind == "group_name" and name == ADMINS_GROUP:
        raise InvalidInputError(
            f"{where}.group_name: the admins group always has CAN_MANAGE on every job; its "
            "permissions cannot be changed."
        )
    if kind == "group_name" and level == JobPermissionLevel.IS_OWNER:
        raise InvalidInputError(
            f"{where}.permission_level: IS_OWNER can only be given to a user or a service "
            f"principal, not to group {name}."
        )
    return _AclEntry(index, storage.Grantee(kind, name), level)


def _grantees(principal: Principal) -> list[storage.Grantee]:
    return [
        storage.Grantee("user_name", principal.user_name),
        storage.Grantee("service_principal_name", principal.user_name),
        storage.Grantee("group_name", USERS_GROUP),
    ]


def _grantee_of(grant: storage.JobPermissionRecord) -> storage.Grantee:
    return storage.Grantee(grant.principal_type, grant.principal)


def _describe(grantee: storage.Grantee) -> str:
    kind = {"user_name": "user", "group_name": "group"}.get(
        grantee.principal_type, "service principal"
    )
    return f"{kind} {grantee.principal}"


def _run_allowed(
    conn: Connection, principal: Principal, run: storage.RunRecord, level: JobPermissionLevel
) -> bool:
    if principal.is_admin:
        return True
    if run.job_id is not None:
        if has_job_permission(conn, principal, run.job_id, level):
            return True
        if _job_exists(conn, run.job_id):
            return False
    # a one-time run, or the run of a deleted job: its grants went with the job
    return run.creator_user_name is not None and run.creator_user_name == principal.user_name


def _job_exists(conn: Connection, job_id: int) -> bool:
    try:
        storage.read_job(conn, job_id)
    except NotFoundError:
        return False
    return True
