"""The state history: every life-cycle change of a run or task run, in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from brickyard.storage.records import StateChangeRecord
from brickyard.storage.schema import STATE_CHANGES


@dataclass(frozen=True)
class NewStateChange:
    """A state change to record (written by the run and task-run repositories)."""

    job_run_id: int
    task_run_id: int | None
    from_state: str | None
    to_state: str
    result_state: str | None
    message: str
    timestamp: int


def record_state_changes(conn: Connection, changes: Sequence[NewStateChange]) -> None:
    """Append ``changes`` to the history in one statement."""
    if not changes:
        return
    conn.execute(
        insert(STATE_CHANGES),
        [
            {
                "job_run_id": change.job_run_id,
                "task_run_id": change.task_run_id,
                "from_state": change.from_state,
                "to_state": change.to_state,
                "result_state": change.result_state,
                "message": change.message,
                "timestamp": change.timestamp,
            }
            for change in changes
        ],
    )


def list_state_changes(conn: Connection, job_run_id: int) -> list[StateChangeRecord]:
    """The history of a job run and its task runs, in the order the changes happened."""
    rows = conn.execute(
        select(
            STATE_CHANGES.c.id,
            STATE_CHANGES.c.job_run_id,
            STATE_CHANGES.c.task_run_id,
            STATE_CHANGES.c.from_state,
            STATE_CHANGES.c.to_state,
            STATE_CHANGES.c.result_state,
            STATE_CHANGES.c.message,
            STATE_CHANGES.c.timestamp,
        )
        .where(STATE_CHANGES.c.job_run_id == job_run_id)
        .order_by(STATE_CHANGES.c.id)
    )
    return [
        StateChangeRecord(
            id=row.id,
            job_run_id=row.job_run_id,
            task_run_id=row.task_run_id,
            from_state=row.from_state,
            to_state=row.to_state,
            result_state=row.result_state,
            message=row.message,
            timestamp=row.timestamp,
        )
        for row in rows
    ]
