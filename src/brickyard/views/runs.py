"""Runs as the Jobs API returns them (``runs/get``): the legacy ``state`` every client reads,
the v2 ``status``, one ``tasks`` entry per attempt, and ``repair_history``.

The same for every API version and for the CLI's ``brickyard runs get``; what differs per
version is in :mod:`brickyard.views.run_versions`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from brickyard import storage
from brickyard.states import (
    TERMINAL_LIFE_CYCLE,
    LifeCycleState,
    RepairType,
    ResultState,
    default_termination,
    status_state,
)


def run_page_url(base_url: str, job_id: int | None, run_id: int) -> str:
    """The address of a run's page in the UI."""
    if job_id is None:
        return f"{base_url}/#run/{run_id}"
    return f"{base_url}/#job/{job_id}/run/{run_id}"


def render_state(
    life_cycle: LifeCycleState,
    result: ResultState | None,
    message: str,
    user_cancelled_or_timedout: bool,
    queue_reason: str | None = None,
) -> dict[str, Any]:
    """The legacy ``state`` object (RunState)."""
    state: dict[str, Any] = {
        "life_cycle_state": life_cycle.value,
        "state_message": message,
        "user_cancelled_or_timedout": user_cancelled_or_timedout,
    }
    if result is not None:
        state["result_state"] = result.value
    if queue_reason is not None and life_cycle is LifeCycleState.QUEUED:
        state["queue_reason"] = message
    return state


def render_status(
    life_cycle: LifeCycleState,
    result: ResultState | None,
    message: str,
    termination_code: str | None,
    termination_type: str | None,
    queue_reason: str | None = None,
) -> dict[str, Any]:
    """The v2 ``status`` object (RunStatus) that mirrors ``state``."""
    status: dict[str, Any] = {"state": status_state(life_cycle).value}
    if life_cycle in TERMINAL_LIFE_CYCLE and result is not None:
        code, kind = default_termination(life_cycle, result)
        status["termination_details"] = {
            "code": termination_code or code.value,
            "type": termination_type or kind.value,
            "message": message,
        }
    if life_cycle is LifeCycleState.QUEUED and queue_reason:
        status["queue_details"] = {"code": queue_reason, "message": message}
    return status


def render_task_run(
    task_run: storage.TaskRunRecord,
    *,
    base_url: str,
    job_id: int | None,
    include_resolved_values: bool = False,
) -> dict[str, Any]:
    """One ``tasks[]`` entry (RunTask): the task's settings plus this attempt's run fields."""
    body: dict[str, Any] = {k: v for k, v in task_run.task.items() if k != "health"}
    body.setdefault("run_if", "ALL_SUCCESS")
    if task_run.condition_outcome is not None and isinstance(body.get("condition_task"), dict):
        body["condition_task"] = {**body["condition_task"], "outcome": task_run.condition_outcome}
    end = task_run.end_time
    body.update(
        run_id=task_run.run_id,
        task_key=task_run.task_key,
        attempt_number=task_run.attempt_number,
        original_attempt_run_id=task_run.original_attempt_run_id,
        state=render_state(
            task_run.life_cycle_state,
            task_run.result_state,
            task_run.state_message,
            task_run.user_cancelled_or_timedout,
        ),
        status=render_status(
            task_run.life_cycle_state,
            task_run.result_state,
            task_run.state_message,
            task_run.termination_code,
            task_run.termination_type,
        ),
        start_time=task_run.start_time,
        end_time=end,
        setup_duration=task_run.setup_duration,
        execution_duration=task_run.execution_duration,
        cleanup_duration=task_run.cleanup_duration,
        run_duration=max(0, end - task_run.start_time) if end and task_run.start_time else 0,
        queue_duration=task_run.queue_duration,
        run_page_url=run_page_url(base_url, job_id, task_run.run_id),
    )
    if include_resolved_values and task_run.resolved_values is not None:
        body["resolved_values"] = task_run.resolved_values
    return body


def render_run(
    run: storage.RunRecord,
    task_runs: Sequence[storage.TaskRunRecord],
    *,
    base_url: str,
    repairs: Sequence[storage.RepairRecord] = (),
    history: Sequence[storage.StateChangeRecord] = (),
    include_history: bool = False,
    include_resolved_values: bool = False,
    now_ms: int | None = None,
) -> dict[str, Any]:
    """A run as ``runs/get`` returns it."""
    end = run.end_time
    finished_at = end or now_ms or run.start_time
    body: dict[str, Any] = {
        "job_id": run.job_id,
        "run_id": run.run_id,
        "job_run_id": run.run_id,
        "number_in_job": run.run_id,
        "original_attempt_run_id": run.run_id,
        "attempt_number": 0,
        "run_name": run.run_name,
        "run_type": run.run_type.value,
        "trigger": run.trigger.value,
        "state": render_state(
            run.life_cycle_state,
            run.result_state,
            run.state_message,
            run.user_cancelled_or_timedout,
            run.queue_reason,
        ),
        "status": render_status(
            run.life_cycle_state,
            run.result_state,
            run.state_message,
            run.termination_code,
            run.termination_type,
            run.queue_reason,
        ),
        "start_time": run.start_time,
        "end_time": end,
        "setup_duration": 0,
        "execution_duration": 0,
        "cleanup_duration": 0,
        "run_duration": max(0, finished_at - run.start_time),
        "queue_duration": run.queue_duration,
        "run_page_url": run_page_url(base_url, run.job_id, run.run_id),
        "format": "MULTI_TASK",
        "tasks": [
            render_task_run(
                tr,
                base_url=base_url,
                job_id=run.job_id,
                include_resolved_values=include_resolved_values,
            )
            for tr in task_runs
        ],
        "job_parameters": list(run.job_parameters),
    }
    if run.job_id is None:
        del body["job_id"]
    for key in ("job_clusters", "git_source", "schedule"):
        if key in run.settings:
            body[key] = run.settings[key]
    if run.overriding_parameters:
        body["overriding_parameters"] = dict(run.overriding_parameters)
    if run.creator_user_name:
        body["creator_user_name"] = run.creator_user_name
    if run.trigger_info:
        body["trigger_info"] = dict(run.trigger_info)
    if run.parent_task_run_id is not None:
        body.setdefault("trigger_info", {})["run_id"] = run.parent_task_run_id
    if include_history:
        body["repair_history"] = render_repair_history(run, task_runs, repairs, history)
    return body


def render_repair_history(
    run: storage.RunRecord,
    task_runs: Sequence[storage.TaskRunRecord],
    repairs: Sequence[storage.RepairRecord],
    history: Sequence[storage.StateChangeRecord] = (),
) -> list[dict[str, Any]]:
    """``repair_history``: the ORIGINAL item, then one REPAIR item per repair.

    Once a run has been repaired its own state is the latest repair's, so the original
    execution's outcome is read back from the run's state history.
    """
    original = _original_outcome(run, history) if repairs else None
    if original is not None:
        state, end = original
    else:
        state = render_state(
            run.life_cycle_state,
            run.result_state,
            run.state_message,
            run.user_cancelled_or_timedout,
        )
        end = run.end_time
    items: list[dict[str, Any]] = [
        {
            "type": RepairType.ORIGINAL.value,
            "start_time": run.start_time,
            "end_time": end,
            "state": state,
            "task_run_ids": [tr.run_id for tr in task_runs if tr.repair_id is None],
        }
    ]
    for repair in repairs:
        items.append(
            {
                "type": RepairType.REPAIR.value,
                "id": repair.repair_id,
                "start_time": repair.start_time,
                "end_time": repair.end_time,
                "state": render_state(
                    repair.life_cycle_state, repair.result_state, repair.state_message, False
                ),
                "status": render_status(
                    repair.life_cycle_state,
                    repair.result_state,
                    repair.state_message,
                    None,
                    None,
                ),
                "task_run_ids": list(repair.task_run_ids),
            }
        )
    return items


def _original_outcome(
    run: storage.RunRecord, history: Sequence[storage.StateChangeRecord]
) -> tuple[dict[str, Any], int] | None:
    terminal = {state.value for state in TERMINAL_LIFE_CYCLE}
    for change in history:
        if change.task_run_id is None and change.to_state in terminal:
            result = ResultState(change.result_state) if change.result_state else None
            state = render_state(LifeCycleState(change.to_state), result, change.message, False)
            return state, change.timestamp
    return None
