"""Id allocation from counter rows.

Run ids are ONE id space shared by job runs, task runs and repairs (Databricks run ids are
unique across runs and task runs); job ids have their own. Allocation is an
``UPDATE ... RETURNING`` of the counter row, which PostgreSQL serializes with a row lock and
SQLite with its single writer, so concurrent writers never get the same id.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection, bindparam, update

from brickyard.storage.schema import ID_COUNTERS

RUN_COUNTER: Final = "run"
JOB_COUNTER: Final = "job"


# Built once: a statement with bound parameters compiles once and is then found in
# SQLAlchemy's cache without rebuilding it (every run creation allocates ids).
_ADVANCE: Final = (
    update(ID_COUNTERS)
    .where(ID_COUNTERS.c.name == bindparam("counter"))
    .values(next_value=ID_COUNTERS.c.next_value + bindparam("count"))
    .returning(ID_COUNTERS.c.next_value)
)


def allocate_run_ids(conn: Connection, count: int) -> list[int]:
    """``count`` fresh ids for job runs, task runs or repairs, ascending."""
    return _allocate(conn, RUN_COUNTER, count)


def allocate_job_ids(conn: Connection, count: int) -> list[int]:
    """``count`` fresh job ids, ascending."""
    return _allocate(conn, JOB_COUNTER, count)


def _allocate(conn: Connection, counter: str, count: int) -> list[int]:
    if count < 0:
        raise ValueError(f"cannot allocate {count} ids")
    if count == 0:
        return []
    end: int = conn.execute(_ADVANCE, {"counter": counter, "count": count}).scalar_one()
    return list(range(end - count, end))
