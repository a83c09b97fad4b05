"""Scheduling a retry of a failed attempt: the task's policy decides, the Batch creates it.

The retry attempt's run id is allocated inside the step's commit and the attempt joins the
in-memory run after it; nothing acts on a WAITING_FOR_RETRY attempt before its ``retry_at``,
so nothing needs it sooner.
"""

from __future__ import annotations

from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.batch import Batch, RetryAttempt
from brickyard.engine.retries import RetryPolicy
from brickyard.spec import Task
from brickyard.states import LifeCycleState, ResultState, TerminationCode


def retry_policy(task: Task) -> RetryPolicy:
    """The retry policy a task's settings give."""
    return RetryPolicy(
        max_retries=int(task.max_retries or 0),
        min_retry_interval_millis=int(task.min_retry_interval_millis or 0),
        retry_on_timeout=bool(task.retry_on_timeout),
    )


def schedule_retry(
    run: ActiveRun,
    attempt: Attempt,
    *,
    life_cycle: LifeCycleState,
    result: ResultState,
    code: TerminationCode | None,
    batch: Batch,
    now_ms: int,
) -> bool:
    """Record a retry of ``attempt`` (which just ended) when its task's policy allows one.
    Returns whether it did."""
    task = run.task(attempt.task_key)
    if run.cancel_requested or run.timed_out or task.is_condition or not task.max_retries:
        return False
    if code is TerminationCode.INVALID_RUN_CONFIGURATION:
        return False  # the same configuration would fail the same way, forever
    policy = retry_policy(task)
    same_execution = [
        a
        for a in run.attempts.values()
        if a.task_key == attempt.task_key and a.repair_id == attempt.repair_id
    ]
    if not policy.should_retry(
        attempt_number=len(same_execution) - 1, life_cycle=life_cycle, result=result
    ):
        return False
    batch.retry(
        RetryAttempt(
            run=run,
            failed=attempt,
            task=task.to_api(),
            original_attempt_run_id=min(a.task_run_id for a in same_execution),
            retry_at=policy.retry_at(attempt.start_time or now_ms, now_ms),
            message=f"Waiting to retry (attempt {attempt.attempt_number + 1})",
        )
    )
    return True
