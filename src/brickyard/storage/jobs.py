"""Jobs and their settings history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import Connection, Select, delete, func, insert, select, text, update

from brickyard.errors import NotFoundError
from brickyard.storage._columns import AnyRow
from brickyard.storage.ids import allocate_job_ids
from brickyard.storage.permissions import AccessFilter, granted
from brickyard.storage.records import JobRecord, JobVersionRecord
from brickyard.storage.schema import JOB_VERSIONS, JOBS
from brickyard.storage.triggers import delete_job_triggers, sync_job_triggers

# pg_advisory_xact_lock takes one bigint: the job id under a brickyard-specific prefix
_JOB_LOCK_PREFIX: Final = 0x4A4F42 << 40
_JOB_LOCK_MASK: Final = (1 << 40) - 1

_JOB_COLUMNS = (
    JOBS.c.job_id,
    JOBS.c.name,
    JOBS.c.settings,
    JOBS.c.created_time,
    JOBS.c.creator_user_name,
    JOBS.c.source_path,
    JOBS.c.version,
)


def create_job(
    conn: Connection,
    settings: Mapping[str, Any],
    *,
    now_ms: int,
    source_path: str | None = None,
    creator_user_name: str | None = None,
) -> JobRecord:
    """Create a job with a fresh id; its settings become version 1 of its history.

    The job's name is ``settings["name"]`` (``Untitled`` when absent, as in Databricks).
    """
    (job_id,) = allocate_job_ids(conn, 1)
    stored = dict(settings)
    name = _job_name(stored)
    conn.execute(
        insert(JOBS).values(
            job_id=job_id,
            name=name,
            name_key=name.casefold(),
            settings=stored,
            created_time=now_ms,
            creator_user_name=creator_user_name,
            source_path=source_path,
            version=1,
        )
    )
    conn.execute(
        insert(JOB_VERSIONS).values(job_id=job_id, version=1, settings=stored, created_time=now_ms)
    )
    sync_job_triggers(conn, job_id, stored, version=1, now_ms=now_ms)
    return JobRecord(
        job_id=job_id,
        name=name,
        settings=stored,
        created_time=now_ms,
        creator_user_name=creator_user_name,
        source_path=source_path,
        version=1,
    )


def read_job(conn: Connection, job_id: int) -> JobRecord:
    """The job ``job_id``; NotFoundError when it does not exist."""
    row = conn.execute(select(*_JOB_COLUMNS).where(JOBS.c.job_id == job_id)).first()
    if row is None:
        raise NotFoundError(f"Job {job_id} does not exist.")
    return _job_record(row)


def find_job_by_source(conn: Connection, path: str) -> JobRecord | None:
    """The job deployed from the job file ``path``, if any."""
    row = conn.execute(select(*_JOB_COLUMNS).where(JOBS.c.source_path == path)).first()
    return None if row is None else _job_record(row)


def list_jobs(
    conn: Connection,
    *,
    name: str | None = None,
    visible_to: AccessFilter | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[JobRecord]:
    """Jobs by ascending id, optionally only those named ``name`` (exact, case-insensitive)
    and only those ``visible_to`` allows (``limit`` and ``offset`` then page over those)."""
    stmt = select(*_JOB_COLUMNS).order_by(JOBS.c.job_id).limit(limit).offset(offset)
    return [_job_record(row) for row in conn.execute(_job_filters(stmt, name, visible_to))]


def count_jobs(
    conn: Connection, *, name: str | None = None, visible_to: AccessFilter | None = None
) -> int:
    """How many jobs :func:`list_jobs` pages over with the same ``name`` and ``visible_to``."""
    stmt = select(func.count()).select_from(JOBS)
    return int(conn.execute(_job_filters(stmt, name, visible_to)).scalar_one())


def _job_filters(
    stmt: Select[Any], name: str | None, visible_to: AccessFilter | None
) -> Select[Any]:
    if name is not None:
        stmt = stmt.where(JOBS.c.name_key == name.casefold())
    if visible_to is not None:
        stmt = stmt.where(granted(JOBS.c.job_id, visible_to))
    return stmt


def update_job_settings(
    conn: Connection, job_id: int, settings: Mapping[str, Any], *, now_ms: int
) -> JobRecord:
    """Replace the job's settings, recording them as a new version (and its triggers with
    them)."""
    current = read_job(conn, job_id)
    stored = dict(settings)
    name = _job_name(stored)
    version = current.version + 1
    conn.execute(
        update(JOBS)
        .where(JOBS.c.job_id == job_id)
        .values(name=name, name_key=name.casefold(), settings=stored, version=version)
    )
    conn.execute(
        insert(JOB_VERSIONS).values(
            job_id=job_id, version=version, settings=stored, created_time=now_ms
        )
    )
    sync_job_triggers(conn, job_id, stored, version=version, now_ms=now_ms)
    return JobRecord(
        job_id=job_id,
        name=name,
        settings=stored,
        created_time=current.created_time,
        creator_user_name=current.creator_user_name,
        source_path=current.source_path,
        version=version,
    )


def list_job_versions(conn: Connection, job_id: int) -> list[JobVersionRecord]:
    """Every settings version of the job, oldest first (empty for an unknown job)."""
    rows = conn.execute(
        select(
            JOB_VERSIONS.c.job_id,
            JOB_VERSIONS.c.version,
            JOB_VERSIONS.c.settings,
            JOB_VERSIONS.c.created_time,
        )
        .where(JOB_VERSIONS.c.job_id == job_id)
        .order_by(JOB_VERSIONS.c.version)
    )
    return [
        JobVersionRecord(
            job_id=row.job_id,
            version=row.version,
            settings=row.settings,
            created_time=row.created_time,
        )
        for row in rows
    ]


def delete_job(conn: Connection, job_id: int) -> None:
    """Delete the job, its settings history and its triggers (its runs stay); NotFoundError
    if unknown."""
    delete_job_triggers(conn, job_id)
    conn.execute(delete(JOB_VERSIONS).where(JOB_VERSIONS.c.job_id == job_id))
    result = conn.execute(delete(JOBS).where(JOBS.c.job_id == job_id))
    if result.rowcount == 0:
        raise NotFoundError(f"Job {job_id} does not exist.")


def lock_job(conn: Connection, job_id: int) -> None:
    """Serialize admission decisions for one job until the transaction ends.

    Two writers that count a job's active runs and then start one must not both see a free
    slot. On PostgreSQL this takes a transaction-level advisory lock on the job id (the job
    row need not exist); on SQLite :meth:`Database.transaction` already holds the database's
    single write lock (``BEGIN IMMEDIATE``), so there is nothing more to take. Call it inside
    ``db.transaction()``.
    """
    if conn.dialect.name == "postgresql":
        key = _JOB_LOCK_PREFIX | (job_id & _JOB_LOCK_MASK)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _job_name(settings: Mapping[str, Any]) -> str:
    name = settings.get("name")
    return name if isinstance(name, str) and name else "Untitled"


def _job_record(row: AnyRow) -> JobRecord:
    return JobRecord(
        job_id=row.job_id,
        name=row.name,
        settings=row.settings,
        created_time=row.created_time,
        creator_user_name=row.creator_user_name,
        source_path=row.source_path,
        version=row.version,
    )
