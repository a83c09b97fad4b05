"""Repairing a finished run (databricks-semantics §1.14): new attempts inside the same run.

The repair is validated and committed in one transaction, and the run leaves its terminal
state before the call returns (the SDK's waiter polls the same run id right away).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock
from brickyard.engine.active_run import build_dag
from brickyard.engine.context import record_context
from brickyard.engine.planner import TaskState
from brickyard.engine.requests import RepairRequest
from brickyard.engine.selection import repair_selection
from brickyard.errors import InvalidInputError, InvalidStateError
from brickyard.params import resolve_job_parameters
from brickyard.settings import Settings
from brickyard.spec import parse_stored_settings
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState


def create_repair(
    conn: Connection, request: RepairRequest, *, settings: Settings, clock: Clock
) -> storage.RepairRecord:
    """Validate ``request`` against the run and store the repair and its new task runs."""
    run = storage.read_run(conn, request.run_id)
    if run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
        raise InvalidStateError(
            f"Run {run.run_id} is {run.life_cycle_state.value}: only a finished run can be repaired"
        )
    _check_latest_repair_id(run, request.latest_repair_id)
    job_settings = request.settings or parse_stored_settings(run.settings)
    task_runs = storage.list_task_runs(conn, run.run_id)
    latest: dict[str, storage.TaskRunRecord] = {}
    for task_run in task_runs:
        latest[task_run.task_key] = task_run
    known = {task.task_key for task in job_settings.tasks or ()}
    run_keys = set(latest) & known if latest else set(known)
    for key in request.rerun_tasks or ():
        if key in known:
            run_keys.add(key)
    dag = build_dag(job_settings.tasks or (), run_keys)
    states = {
        key: TaskState(tr.result_state, tr.condition_outcome)
        for key, tr in latest.items()
        if key in run_keys
    }
    selection = repair_selection(
        dag,
        states,
        rerun_tasks=request.rerun_tasks,
        rerun_all_failed_tasks=request.rerun_all_failed_tasks,
        rerun_dependent_tasks=request.rerun_dependent_tasks,
    )
    if not selection:
        raise InvalidInputError("nothing to repair: every task of the run succeeded")
    now = clock.now_ms()
    repair_id, *task_run_ids = storage.allocate_run_ids(conn, 1 + len(selection))
    ordered = [task.task_key for task in job_settings.tasks or () if task.task_key in selection]
    by_key = {task.task_key: task for task in job_settings.tasks or ()}
    storage.create_task_runs(
        conn,
        [
            storage.NewTaskRun(
                run_id=task_run_id,
                job_run_id=run.run_id,
                task_key=key,
                attempt_number=latest[key].attempt_number + 1 if key in latest else 0,
                task=by_key[key].to_api(),
                life_cycle_state=LifeCycleState.BLOCKED,
                repair_id=repair_id,
            )
            for key, task_run_id in zip(ordered, task_run_ids, strict=True)
        ],
        now_ms=now,
    )
    changes = storage.RunChanges(
        settings=job_settings.to_api(),
        repair_count=run.repair_count + 1,
        latest_repair_id=repair_id,
        cancel_requested=False,
        owner=None,
        lease_expires_at=None,
    )
    if request.overrides.job_parameters is not None or request.overrides.to_api():
        context = record_context(
            run, settings, job_parameters={}, repair_count=run.repair_count + 1
        )
        parameters = resolve_job_parameters(
            job_settings.parameters or [], request.overrides.job_parameters, context
        )
        changes = replace(
            changes,
            job_parameters=[
                {"name": p.name, "default": p.default, "value": p.value} for p in parameters
            ],
            overriding_parameters=request.overrides.to_api(),
        )
    storage.transition_run(
        conn,
        run.run_id,
        expected=run.life_cycle_state,
        to=LifeCycleState.PENDING,
        message=f"Repairing tasks: {', '.join(ordered)}",
        now_ms=now,
        changes=changes,
    )
    return storage.create_repair(
        conn,
        run.run_id,
        repair_id=repair_id,
        now_ms=now,
        request=_request_json(request),
        task_run_ids=list(task_run_ids),
    )


def _check_latest_repair_id(run: storage.RunRecord, latest_repair_id: int | None) -> None:
    if run.latest_repair_id is None:
        if latest_repair_id is not None:
            raise InvalidInputError(
                f"latest_repair_id {latest_repair_id} does not match: run {run.run_id} has "
                "not been repaired yet"
            )
        return
    if latest_repair_id is None:
        raise InvalidInputError(
            "The latest repair ID needs to be provided in order to create a new repair "
            f"(latest_repair_id is {run.latest_repair_id})"
        )
    if latest_repair_id != run.latest_repair_id:
        raise InvalidInputError(
            f"latest_repair_id {latest_repair_id} is not the latest repair of run "
            f"{run.run_id} (it is {run.latest_repair_id})"
        )


def _request_json(request: RepairRequest) -> dict[str, object]:
    body: dict[str, object] = {"run_id": request.run_id}
    if request.rerun_tasks is not None:
        body["rerun_tasks"] = list(request.rerun_tasks)
    if request.rerun_all_failed_tasks:
        body["rerun_all_failed_tasks"] = True
    if request.rerun_dependent_tasks:
        body["rerun_dependent_tasks"] = True
    if request.latest_repair_id is not None:
        body["latest_repair_id"] = request.latest_repair_id
    body.update(request.overrides.to_api())
    if request.overrides.job_parameters is not None:
        body["job_parameters"] = dict(request.overrides.job_parameters)
    return body
