from __future__ import annotations

from collections.abc import Callable

import pytest

from brickyard.errors import IllegalTransitionError, NotFoundError
from brickyard.states import LifeCycleState, ResultState
from brickyard.storage import (
    Database,
    RepairRecord,
    RunRecord,
    add_repair_task_runs,
    allocate_run_ids,
    create_repair,
    finish_repair,
    list_repairs,
)

NOW = 1_763_700_000_000
REQUEST = {"run_id": 1, "rerun_tasks": ["b"], "job_parameters": {"env": "prod"}}


def test_repair_life(db: Database, make_run: Callable[..., RunRecord]) -> None:
    run = make_run()
    with db.transaction() as conn:
        first_id, second_id = allocate_run_ids(conn, 2)
        first = create_repair(
            conn, run.run_id, repair_id=first_id, now_ms=NOW, request=REQUEST, task_run_ids=[5]
        )
        create_repair(
            conn, run.run_id, repair_id=second_id, now_ms=NOW + 9, request={}, task_run_ids=[]
        )
    assert first == RepairRecord(
        repair_id=first_id,
        run_id=run.run_id,
        created_time=NOW,
        start_time=NOW,
        end_time=0,
        life_cycle_state=LifeCycleState.PENDING,
        result_state=None,
        state_message="",
        task_run_ids=[5],
        request=REQUEST,
    )
    with db.transaction() as conn:
        add_repair_task_runs(conn, first_id, [6, 5, 7])
        finished = finish_repair(
            conn,
            first_id,
            now_ms=NOW + 5,
            life_cycle_state=LifeCycleState.TERMINATED,
            result_state=ResultState.SUCCESS,
            state_message="",
        )
    assert finished.end_time == NOW + 5
    assert finished.result_state is ResultState.SUCCESS
    assert finished.task_run_ids == [5, 6, 7]
    with db.read() as conn:
        repairs = list_repairs(conn, run.run_id)
    assert [r.repair_id for r in repairs] == [first_id, second_id]
    assert repairs[0] == finished
    assert repairs[1].life_cycle_state is LifeCycleState.PENDING


def test_finish_repair_checks_state_and_existence(
    db: Database, make_run: Callable[..., RunRecord]
) -> None:
    run = make_run()
    with db.transaction() as conn:
        create_repair(conn, run.run_id, repair_id=50, now_ms=NOW, request={}, task_run_ids=[])
        with pytest.raises(IllegalTransitionError):
            finish_repair(
                conn,
                50,
                now_ms=NOW,
                life_cycle_state=LifeCycleState.RUNNING,
                result_state=ResultState.SUCCESS,
                state_message="",
            )
        with pytest.raises(IllegalTransitionError):
            finish_repair(
                conn,
                50,
                now_ms=NOW,
                life_cycle_state=LifeCycleState.INTERNAL_ERROR,
                result_state=ResultState.SUCCESS,
                state_message="",
            )
        with pytest.raises(NotFoundError, match="Repair 51 does not exist"):
            finish_repair(
                conn,
                51,
                now_ms=NOW,
                life_cycle_state=LifeCycleState.TERMINATED,
                result_state=ResultState.FAILED,
                state_message="",
            )
        with pytest.raises(NotFoundError, match="Repair 51 does not exist"):
            add_repair_task_runs(conn, 51, [1])
