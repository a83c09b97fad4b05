"""Finishing a run: its result from the leaf tasks (or INTERNAL_ERROR when recovery ended it),
committed together with the repair it completes."""

from __future__ import annotations

from brickyard import storage
from brickyard.engine.active_run import ActiveRun
from brickyard.engine.planner import TaskState
from brickyard.engine.results import run_result
from brickyard.states import LifeCycleState, ResultState

_L = LifeCycleState


def finish_run(database: storage.Database, run: ActiveRun, *, now_ms: int) -> storage.RunRecord:
    """Commit the run's result, computed from its leaf tasks."""
    if run.lost_by is not None:
        life_cycle, result = _L.INTERNAL_ERROR, ResultState.FAILED
        message = (
            f"The engine running this run ({run.lost_by}) stopped before the run finished. "
            "Repair the run to run the unfinished tasks."
        )
    else:
        outcome = run_result(
            run.dag,
            {
                key: TaskState(a.result, a.condition_outcome)
                for key, a in run.latest.items()
                if key in run.dag.tasks
            },
            canceled=run.cancel_requested,
            timed_out=run.timed_out,
            messages={key: a.message for key, a in run.latest.items()},
        )
        life_cycle, result, message = _L.TERMINATED, outcome.result, outcome.message
    with database.transaction() as conn:
        record = storage.transition_run(
            conn,
            run.run_id,
            expected=run.record.life_cycle_state,
            to=life_cycle,
            result=result,
            message=message,
            now_ms=now_ms,
            user_cancelled_or_timedout=run.cancel_requested or run.timed_out,
        )
        if record.latest_repair_id is not None:
            storage.finish_repair(
                conn,
                record.latest_repair_id,
                now_ms=now_ms,
                life_cycle_state=life_cycle,
                result_state=result,
                state_message=message,
            )
    run.record = record
    return record
