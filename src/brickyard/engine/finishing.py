"""Finishing a run: its result from the leaf tasks (or INTERNAL_ERROR when recovery ended it),
committed together with the repair it completes, in the step's Batch."""

from __future__ import annotations

from sqlalchemy import Connection

from brickyard import storage
from brickyard.engine.active_run import ActiveRun
from brickyard.engine.batch import Batch
from brickyard.engine.planner import TaskState
from brickyard.engine.results import run_result
from brickyard.states import LifeCycleState, ResultState

_L = LifeCycleState


def finish_run(run: ActiveRun, batch: Batch, *, now_ms: int) -> None:
    """Record the run's result, computed from its leaf tasks, in ``batch`` (the run's stored
    record is on ``run.record`` once the batch has committed)."""
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
    batch.move_run(
        run,
        life_cycle,
        result=result,
        message=message,
        user_cancelled_or_timedout=run.cancel_requested or run.timed_out,
    )
    repair_id = run.record.latest_repair_id
    if repair_id is not None:

        def finish_repair(conn: Connection) -> tuple[()]:
            storage.finish_repair(
                conn,
                repair_id,
                now_ms=now_ms,
                life_cycle_state=life_cycle,
                result_state=result,
                state_message=message,
            )
            return ()

        batch.write(finish_repair)
