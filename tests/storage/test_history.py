from __future__ import annotations

from collections.abc import Callable

from brickyard.states import LifeCycleState, ResultState
from brickyard.storage import (
    Database,
    RunRecord,
    StateChangeRecord,
    TaskRunRecord,
    TaskRunTransition,
    list_state_changes,
    transition_run,
    transition_task_runs,
)

NOW = 1_763_700_000_000
L = LifeCycleState


def test_history_of_a_run_and_its_task_runs_in_order(
    db: Database,
    make_run: Callable[..., RunRecord],
    make_task_runs: Callable[..., list[TaskRunRecord]],
) -> None:
    run = make_run(state_message="Starting")
    other = make_run()
    (task,) = make_task_runs(run.run_id, ["a"])
    with db.transaction() as conn:
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW + 1)
        transition_task_runs(
            conn,
            [TaskRunTransition(task.run_id, L.BLOCKED, L.PENDING, message="go")],
            now_ms=NOW + 2,
        )
        transition_run(
            conn,
            run.run_id,
            expected=L.RUNNING,
            to=L.TERMINATED,
            result=ResultState.SUCCESS,
            message="done",
            now_ms=NOW + 3,
        )
    with db.read() as conn:
        history = list_state_changes(conn, run.run_id)
        assert len(list_state_changes(conn, other.run_id)) == 1
        assert list_state_changes(conn, 9999) == []
    assert [
        (c.task_run_id, c.from_state, c.to_state, c.result_state, c.message, c.timestamp)
        for c in history
    ] == [
        (None, None, "PENDING", None, "Starting", NOW),
        (task.run_id, None, "BLOCKED", None, "", NOW),
        (None, "PENDING", "RUNNING", None, "Starting", NOW + 1),
        (task.run_id, "BLOCKED", "PENDING", None, "go", NOW + 2),
        (None, "RUNNING", "TERMINATED", "SUCCESS", "done", NOW + 3),
    ]
    assert all(isinstance(c, StateChangeRecord) and c.job_run_id == run.run_id for c in history)
    assert [c.id for c in history] == sorted(c.id for c in history)
