"""Task values (``dbutils.jobs.taskValues``): per job run, per task, per key; the last set wins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from brickyard.storage.schema import TASK_VALUES


def set_task_values(
    conn: Connection,
    job_run_id: int,
    task_key: str,
    task_run_id: int,
    values: Mapping[str, Any],
) -> None:
    """Store ``values`` for ``task_key`` of the job run, overwriting keys set before."""
    if not values:
        return
    rows = [
        {
            "job_run_id": job_run_id,
            "task_key": task_key,
            "key": key,
            "value": value,
            "task_run_id": task_run_id,
        }
        for key, value in values.items()
    ]
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(TASK_VALUES)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TASK_VALUES.c.job_run_id, TASK_VALUES.c.task_key, TASK_VALUES.c.key],
        set_={"value": stmt.excluded.value, "task_run_id": stmt.excluded.task_run_id},
    )
    conn.execute(stmt, rows)


def read_task_values(conn: Connection, job_run_id: int) -> dict[str, dict[str, Any]]:
    """Every task value of the job run: ``{task_key: {key: value}}``."""
    rows = conn.execute(
        select(TASK_VALUES.c.task_key, TASK_VALUES.c.key, TASK_VALUES.c.value)
        .where(TASK_VALUES.c.job_run_id == job_run_id)
        .order_by(TASK_VALUES.c.task_key, TASK_VALUES.c.key)
    )
    result: dict[str, dict[str, Any]] = {}
    for row in rows:
        result.setdefault(row.task_key, {})[row.key] = row.value
    return result


def delete_task_values(conn: Connection, job_run_id: int, task_key: str) -> None:
    """Forget the values a task set (a repair reruns it)."""
    conn.execute(
        delete(TASK_VALUES).where(
            TASK_VALUES.c.job_run_id == job_run_id, TASK_VALUES.c.task_key == task_key
        )
    )
