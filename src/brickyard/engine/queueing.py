"""Queueing: how a new run enters (start, queue, skip), and what happens to queued runs —
promotion when a slot frees, the end of one cancelled while it waits.

Promotions and cancellations are writes of the loop step's Batch that decide at commit: the
job lock and the count of active runs are read inside the step's transaction, so two engines
never promote into the same slot; their events follow the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from brickyard import storage
from brickyard.engine.batch import Batch, run_changed
from brickyard.engine.events import EngineEvent
from brickyard.engine.requests import RunRequest
from brickyard.spec import JobSettings
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState, QueueReason, ResultState, RunType

QUEUED_CANCEL_MESSAGE = "Run canceled while queued."


@dataclass(frozen=True)
class Admission:
    """How a new run enters: it starts, waits in the queue, or is skipped."""

    state: LifeCycleState
    result: ResultState | None = None
    message: str = ""
    queue_reason: QueueReason | None = None


def admit(*, max_concurrent_runs: int, active_runs: int, queue_enabled: bool) -> Admission:
    """Apply ``max_concurrent_runs`` (databricks-semantics §1.13): 0 skips every run; at the
    limit a run is queued when queueing is on, else skipped."""
    if max_concurrent_runs == 0:
        return Admission(
            LifeCycleState.SKIPPED,
            ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED,
            "Skipping this run because max_concurrent_runs is 0.",
        )
    if active_runs < max_concurrent_runs:
        return Admission(LifeCycleState.PENDING)
    if queue_enabled:
        return Admission(
            LifeCycleState.QUEUED,
            message=(f"Queued due to reaching maximum concurrent runs of {max_concurrent_runs}."),
            queue_reason=QueueReason.MAX_CONCURRENT_RUNS_REACHED,
        )
    plural = "run has" if max_concurrent_runs == 1 else "runs have"
    return Admission(
        LifeCycleState.SKIPPED,
        ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED,
        f"Skipping this run because the limit of {max_concurrent_runs} maximum concurrent "
        f"{plural} been reached.",
    )


def admission_of(conn: Connection, request: RunRequest) -> Admission:
    """How the run ``request`` asks for enters, given the job's active runs (the job row is
    locked for the rest of the caller's transaction, so concurrent creations count right)."""
    # Only job runs count against a job's limit; one-time and workflow runs always start.
    if request.job_id is None or request.run_type is not RunType.JOB_RUN:
        return Admission(LifeCycleState.PENDING)
    storage.lock_job(conn, request.job_id)
    queue_enabled = (
        request.queue_enabled
        if request.queue_enabled is not None
        else request.settings.queue_enabled
    )
    return admit(
        max_concurrent_runs=request.settings.effective_max_concurrent_runs,
        active_runs=storage.count_active_runs(conn, request.job_id),
        queue_enabled=queue_enabled,
    )


def promote_queued(
    batch: Batch,
    queued: Sequence[storage.RunRecord],
    *,
    settings_of: Callable[[storage.RunRecord], JobSettings],
    now_ms: int,
    on_promoted: Callable[[], None],
) -> None:
    """Record the promotion to PENDING of each queued run (oldest first) that has a free slot at
    commit; ``on_promoted`` runs after the commit when any was promoted."""
    for record in sorted(queued, key=lambda r: r.run_id):
        if record.job_id is None or record.cancel_requested:
            continue  # a cancelled one is ended by the scan that listed it
        limit = settings_of(record).effective_max_concurrent_runs
        batch.write(_promotion(batch, record, record.job_id, limit, now_ms, on_promoted))


def _promotion(
    batch: Batch,
    record: storage.RunRecord,
    job_id: int,
    limit: int,
    now_ms: int,
    on_promoted: Callable[[], None],
) -> Callable[[Connection], Iterable[EngineEvent]]:
    def promote(conn: Connection) -> Iterable[EngineEvent]:
        storage.lock_job(conn, job_id)
        current = storage.read_run(conn, record.run_id)
        if current.life_cycle_state is not LifeCycleState.QUEUED or current.cancel_requested:
            return ()  # cancelled or promoted meanwhile (another process)
        if storage.count_active_runs(conn, job_id) >= limit:
            return ()
        promoted = storage.transition_run(
            conn,
            record.run_id,
            expected=LifeCycleState.QUEUED,
            to=LifeCycleState.PENDING,
            message="",
            now_ms=now_ms,
            changes=storage.RunChanges(
                queue_duration=now_ms - record.created_time, queue_reason=None
            ),
        )
        batch.after_commit(on_promoted)
        return (run_changed(promoted),)

    return promote


def cancel_queued(batch: Batch, run_id: int, *, now_ms: int) -> None:
    """Record the end of a run still waiting in the queue (nothing of it ever started); a run
    that left the queue by the commit is left alone."""

    def cancel(conn: Connection) -> Iterable[EngineEvent]:
        record = storage.read_run(conn, run_id)
        if record.life_cycle_state is not LifeCycleState.QUEUED:
            return ()
        storage.transition_task_runs(
            conn,
            [
                storage.TaskRunTransition(
                    task_run_id=task_run.run_id,
                    expected=task_run.life_cycle_state,
                    to=LifeCycleState.TERMINATED,
                    result=ResultState.CANCELED,
                    message=QUEUED_CANCEL_MESSAGE,
                    user_cancelled_or_timedout=True,
                    job_run_id=run_id,
                )
                for task_run in storage.list_task_runs(conn, run_id)
                if task_run.life_cycle_state not in TERMINAL_LIFE_CYCLE
            ],
            now_ms=now_ms,
        )
        ended = storage.transition_run(
            conn,
            run_id,
            expected=LifeCycleState.QUEUED,
            to=LifeCycleState.TERMINATED,
            result=ResultState.CANCELED,
            message=QUEUED_CANCEL_MESSAGE,
            now_ms=now_ms,
            user_cancelled_or_timedout=True,
            changes=storage.RunChanges(queue_reason=None, cancel_requested=True),
        )
        return (run_changed(ended),)

    batch.write(cancel)
