"""Repairs of job runs (the ``REPAIR`` items of a run's ``repair_history``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Connection, insert, select, update

from brickyard.errors import IllegalTransitionError, NotFoundError
from brickyard.states import RESULTS_BY_TERMINAL_STATE, LifeCycleState, ResultState
from brickyard.storage._columns import AnyRow
from brickyard.storage.records import RepairRecord
from brickyard.storage.schema import REPAIRS

_NOT_FOUND: Final = "Repair {} does not exist."


def create_repair(
    conn: Connection,
    run_id: int,
    *,
    repair_id: int,
    now_ms: int,
    request: Mapping[str, Any],
    task_run_ids: Sequence[int],
) -> RepairRecord:
    """Record a repair of ``run_id`` (``repair_id`` comes from the run id space), PENDING."""
    record = RepairRecord(
        repair_id=repair_id,
        run_id=run_id,
        created_time=now_ms,
        start_time=now_ms,
        end_time=0,
        life_cycle_state=LifeCycleState.PENDING,
        result_state=None,
        state_message="",
        task_run_ids=list(task_run_ids),
        request=dict(request),
    )
    conn.execute(
        insert(REPAIRS).values(
            repair_id=record.repair_id,
            run_id=record.run_id,
            created_time=record.created_time,
            start_time=record.start_time,
            end_time=record.end_time,
            life_cycle_state=record.life_cycle_state.value,
            result_state=None,
            state_message=record.state_message,
            task_run_ids=record.task_run_ids,
            request=record.request,
        )
    )
    return record


def list_repairs(conn: Connection, run_id: int) -> list[RepairRecord]:
    """The repairs of a job run, oldest first."""
    stmt = select(REPAIRS).where(REPAIRS.c.run_id == run_id).order_by(REPAIRS.c.repair_id)
    return [_repair_record(row) for row in conn.execute(stmt)]


def finish_repair(
    conn: Connection,
    repair_id: int,
    *,
    now_ms: int,
    life_cycle_state: LifeCycleState,
    result_state: ResultState,
    state_message: str,
) -> RepairRecord:
    """Record how a repair ended (a terminal state with a fitting result) and when."""
    allowed = RESULTS_BY_TERMINAL_STATE.get(life_cycle_state)
    if allowed is None or result_state not in allowed:
        raise IllegalTransitionError(
            f"a repair cannot finish as {life_cycle_state} with result {result_state}"
        )
    row = conn.execute(
        update(REPAIRS)
        .where(REPAIRS.c.repair_id == repair_id)
        .values(
            end_time=now_ms,
            life_cycle_state=life_cycle_state.value,
            result_state=result_state.value,
            state_message=state_message,
        )
        .returning(*REPAIRS.c)
    ).first()
    if row is None:
        raise NotFoundError(_NOT_FOUND.format(repair_id))
    return _repair_record(row)


def add_repair_task_runs(conn: Connection, repair_id: int, ids: Sequence[int]) -> None:
    """Append task-run ids (e.g. retries created during the repair) to the repair's list."""
    current = conn.execute(
        select(REPAIRS.c.task_run_ids).where(REPAIRS.c.repair_id == repair_id)
    ).first()
    if current is None:
        raise NotFoundError(_NOT_FOUND.format(repair_id))
    merged = list(current.task_run_ids) + [i for i in ids if i not in current.task_run_ids]
    conn.execute(
        update(REPAIRS).where(REPAIRS.c.repair_id == repair_id).values(task_run_ids=merged)
    )


def _repair_record(row: AnyRow) -> RepairRecord:
    return RepairRecord(
        repair_id=row.repair_id,
        run_id=row.run_id,
        created_time=row.created_time,
        start_time=row.start_time,
        end_time=row.end_time,
        life_cycle_state=LifeCycleState(row.life_cycle_state),
        result_state=None if row.result_state is None else ResultState(row.result_state),
        state_message=row.state_message,
        task_run_ids=list(row.task_run_ids),
        request=row.request,
    )
