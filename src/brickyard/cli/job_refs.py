"""The JOB argument of ``brickyard jobs ...``: a job id, a job file ``brickyard run`` registered,
or a job's exact name (case-insensitive)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from sqlalchemy import Connection

from brickyard import storage
from brickyard.cli.errors import CliExit, fail
from brickyard.errors import NotFoundError

_MAX_LISTED: Final = 10
"""Ids listed in the message about an ambiguous name."""

_MAX_ID_DIGITS: Final = 18
"""Longer digit strings cannot be a job id (ids are 64-bit) and would overflow the query."""

_JOB_FILE_SUFFIXES: Final = (".json", ".yml", ".yaml")


def find_job(conn: Connection, ref: str) -> storage.JobRecord:
    """The job ``ref`` names; a one-line CliExit (exit 2) when none or several do.

    Digits are a job id first (a job named ``2024`` is found by name when no job has that
    id), then an existing file is a job file, then the text is a job name."""
    text = ref.strip()
    if text.isdigit() and len(text) <= _MAX_ID_DIGITS:
        job = _by_id(conn, int(text))
        if job is not None:
            return job
    path = Path(text).expanduser()
    if path.is_file():
        return _by_file(conn, path)
    named = storage.list_jobs(conn, name=text, limit=_MAX_LISTED + 1)
    if len(named) == 1:
        return named[0]
    if named:
        raise _ambiguous(conn, text, named)
    if text.isdigit():
        raise fail(f"job {text} does not exist (brickyard jobs list shows the jobs)")
    if path.suffix.lower() in _JOB_FILE_SUFFIXES or "/" in text:
        raise fail(f"{text}: no such job file")
    raise fail(f"no job has the id, job file or name {text!r} (brickyard jobs list shows the jobs)")


def job_label(job: storage.JobRecord) -> str:
    """``job 7 'daily-etl'``."""
    return f"job {job.job_id} {job.name!r}"


def _by_id(conn: Connection, job_id: int) -> storage.JobRecord | None:
    try:
        return storage.read_job(conn, job_id)
    except NotFoundError:
        return None


def _by_file(conn: Connection, path: Path) -> storage.JobRecord:
    # ``brickyard run`` records the absolute path; a symlinked folder may differ once resolved
    for candidate in dict.fromkeys((str(path.resolve()), str(path.absolute()))):
        job = storage.find_job_by_source(conn, candidate)
        if job is not None:
            return job
    raise fail(
        f"{path}: this job file has not been run yet (brickyard run {path} registers it as a job)"
    )


def _ambiguous(conn: Connection, name: str, named: list[storage.JobRecord]) -> CliExit:
    total = storage.count_jobs(conn, name=name)
    ids = ", ".join(str(job.job_id) for job in named[:_MAX_LISTED])
    more = f" and {total - _MAX_LISTED} more" if total > _MAX_LISTED else ""
    return fail(f"{total} jobs are named {name!r} (ids {ids}{more}): give the job id instead")
