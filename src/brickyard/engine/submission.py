"""Creating a run: parameters, task selection, admission (:mod:`brickyard.engine.queueing`),
and the stored records.

Everything is decided and committed in one transaction before the engine acts on the run, so
a run either exists whole (with one BLOCKED task run per task) or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock
from brickyard.engine.active_run import build_dag
from brickyard.engine.queueing import admission_of
from brickyard.engine.requests import RunRequest
from brickyard.engine.selection import select_only
from brickyard.errors import InvalidInputError
from brickyard.params import ResolutionContext, resolve_job_parameters
from brickyard.settings import Settings
from brickyard.states import LifeCycleState

UNTITLED = "Untitled"


def selected_task_keys(request: RunRequest) -> list[str]:
    """The task keys this run covers: all of them, or run-now ``only`` with its closures."""
    tasks = request.settings.tasks or []
    if request.only is None:
        return [task.task_key for task in tasks]
    chosen = select_only(build_dag(tasks), list(request.only))
    return [task.task_key for task in tasks if task.task_key in chosen]


def create_run(
    conn: Connection,
    request: RunRequest,
    *,
    settings: Settings,
    clock: Clock,
    owner: str | None = None,
) -> storage.RunRecord:
    """Store a new run and its task runs, or return the run an idempotency token already made.

    Raises InvalidInputError for undefined job parameters, unknown ``only`` keys and a job with
    no tasks.
    """
    if request.idempotency_token is not None:
        existing = storage.find_run_by_idempotency_token(
            conn, request.job_id, request.idempotency_token
        )
        if existing is not None:
            return existing
    if not request.settings.tasks:
        raise InvalidInputError("the job has no tasks: add at least one entry to 'tasks'")
    keys = selected_task_keys(request)
    now = clock.now_ms()
    trigger_time = now if request.trigger_time_ms is None else request.trigger_time_ms
    run_id, *task_run_ids = storage.allocate_run_ids(conn, 1 + len(keys))
    job_name = request.run_name or request.settings.name or UNTITLED
    base_context = ResolutionContext(
        job_id=request.job_id,
        job_name=job_name,
        run_id=run_id,
        repair_count=0,
        start_time_ms=now,
        trigger_time_ms=trigger_time,
        trigger_type=request.trigger,
        job_parameters={},
        workspace_id=settings.workspace_id,
        workspace_url=settings.base_url,
        backfill_time_ms=request.backfill_time_ms,
        file_arrival_location=request.file_arrival_location,
    )
    parameters = resolve_job_parameters(
        request.settings.parameters or [], request.overrides.job_parameters, base_context
    )
    admission = admission_of(conn, request)
    run = storage.create_run(
        conn,
        storage.NewRun(
            run_id=run_id,
            job_id=request.job_id,
            run_name=job_name,
            run_type=request.run_type,
            trigger=request.trigger,
            settings=request.settings.to_api(),
            base_dir=str(request.base_dir) if request.base_dir else None,
            life_cycle_state=admission.state,
            result_state=admission.result,
            state_message=admission.message,
            queue_reason=admission.queue_reason.value if admission.queue_reason else None,
            created_time=now,
            start_time=now,
            trigger_time=trigger_time,
            job_parameters=[
                {"name": p.name, "default": p.default, "value": p.value} for p in parameters
            ],
            overriding_parameters=request.overrides.to_api(),
            only=list(request.only) if request.only is not None else None,
            parent_task_run_id=request.parent_task_run_id,
            idempotency_token=request.idempotency_token,
            creator_user_name=request.creator_user_name,
            trigger_info=dict(request.trigger_info),
            trigger_context=request.trigger_context,
            owner=owner,
            lease_expires_at=now + int(settings.lease_seconds * 1000) if owner else None,
        ),
    )
    if admission.state is not LifeCycleState.SKIPPED:
        _create_task_runs(conn, request, run_id, keys, task_run_ids, now)
    return run


def _create_task_runs(
    conn: Connection,
    request: RunRequest,
    run_id: int,
    keys: Sequence[str],
    task_run_ids: Sequence[int],
    now_ms: int,
) -> None:
    by_key = {task.task_key: task for task in request.settings.tasks or []}
    storage.create_task_runs(
        conn,
        [
            storage.NewTaskRun(
                run_id=task_run_id,
                job_run_id=run_id,
                task_key=key,
                attempt_number=0,
                task=by_key[key].to_api(),
                life_cycle_state=LifeCycleState.BLOCKED,
            )
            for key, task_run_id in zip(keys, task_run_ids, strict=True)
        ],
        now_ms=now_ms,
    )
