"""The run body every API version and the CLI share: state and status, tasks, repair history."""

from __future__ import annotations

from dataclasses import replace

from brickyard import storage
from brickyard.states import LifeCycleState, ResultState
from brickyard.views.runs import (
    render_repair_history,
    render_run,
    render_state,
    render_status,
    render_task_run,
    run_page_url,
)

NOW = 1_763_700_000_000  # the fixtures' creation time
BASE_URL = "http://localhost:8123"
L = LifeCycleState
R = ResultState


def test_run_pages_are_addressed_by_job_or_by_run() -> None:
    assert run_page_url(BASE_URL, 7, 42) == f"{BASE_URL}/#job/7/run/42"
    assert run_page_url(BASE_URL, None, 42) == f"{BASE_URL}/#run/42"


def test_a_pending_job_run_and_its_tasks(
    run: storage.RunRecord, task_runs: list[storage.TaskRunRecord]
) -> None:
    body = render_run(run, task_runs, base_url=BASE_URL, now_ms=NOW + 500)
    assert body["job_id"] == 7
    assert body["run_id"] == body["job_run_id"] == body["number_in_job"] == run.run_id
    assert body["original_attempt_run_id"] == run.run_id and body["attempt_number"] == 0
    assert body["state"] == {
        "life_cycle_state": "PENDING",
        "state_message": run.state_message,
        "user_cancelled_or_timedout": False,
    }
    assert body["status"] == {"state": "PENDING"}
    assert body["run_duration"] == 500, "an unfinished run has lasted until now"
    assert body["format"] == "MULTI_TASK"
    assert body["run_page_url"] == f"{BASE_URL}/#job/7/run/{run.run_id}"
    assert [t["task_key"] for t in body["tasks"]] == ["a", "b"]
    assert body["tasks"][0]["run_page_url"] == f"{BASE_URL}/#job/7/run/{task_runs[0].run_id}"
    assert "repair_history" not in body and "creator_user_name" not in body


def test_a_one_time_child_run_leaves_out_its_job_and_names_its_parent(
    run: storage.RunRecord,
) -> None:
    child = replace(
        run,
        job_id=None,
        parent_task_run_id=99,
        creator_user_name="bob",
        overriding_parameters={"job_parameters": {"x": "1"}},
        settings={**run.settings, "job_clusters": [{"job_cluster_key": "c"}]},
        trigger_info={"kind": "test"},
    )
    body = render_run(child, [], base_url=BASE_URL)
    assert "job_id" not in body
    assert body["run_page_url"] == f"{BASE_URL}/#run/{run.run_id}"
    assert body["trigger_info"] == {"kind": "test", "run_id": 99}
    assert body["creator_user_name"] == "bob"
    assert body["overriding_parameters"] == {"job_parameters": {"x": "1"}}
    assert body["job_clusters"] == [{"job_cluster_key": "c"}]
    assert "git_source" not in body


def test_a_queued_run_says_why_in_state_and_status() -> None:
    state = render_state(L.QUEUED, None, "Queued: the job is busy", False, "MAX_CONCURRENT")
    assert state["queue_reason"] == "Queued: the job is busy"
    status = render_status(L.QUEUED, None, "Queued: the job is busy", None, None, "MAX_CONCURRENT")
    assert status == {
        "state": "QUEUED",
        "queue_details": {"code": "MAX_CONCURRENT", "message": "Queued: the job is busy"},
    }
    assert "queue_reason" not in render_state(L.RUNNING, None, "", False, "MAX_CONCURRENT")


def test_a_finished_run_has_termination_details_default_or_given() -> None:
    failed = render_status(L.TERMINATED, R.FAILED, "boom", None, None)
    assert failed["state"] == "TERMINATED"
    assert failed["termination_details"] == {
        "code": "RUN_EXECUTION_ERROR",
        "type": "CLIENT_ERROR",
        "message": "boom",
    }
    given = render_status(L.INTERNAL_ERROR, R.FAILED, "lost", "DRIVER_ERROR", "CLOUD_FAILURE")
    assert given["termination_details"]["code"] == "DRIVER_ERROR"
    assert given["termination_details"]["type"] == "CLOUD_FAILURE"
    assert render_state(L.TERMINATED, R.SUCCESS, "", False)["result_state"] == "SUCCESS"


def test_a_task_entry_hides_health_and_shows_what_was_asked(
    task_runs: list[storage.TaskRunRecord],
) -> None:
    task_run = replace(
        task_runs[0],
        task={
            "task_key": "a",
            "health": {"rules": []},
            "condition_task": {"op": "EQUAL_TO", "left": "1", "right": "1"},
        },
        condition_outcome="true",
        resolved_values={"condition_task": {"left": "1", "right": "1"}},
        start_time=NOW,
        end_time=NOW + 250,
    )
    body = render_task_run(task_run, base_url=BASE_URL, job_id=None)
    assert "health" not in body
    assert body["run_if"] == "ALL_SUCCESS"
    assert body["condition_task"]["outcome"] == "true"
    assert body["run_duration"] == 250
    assert body["run_page_url"] == f"{BASE_URL}/#run/{task_run.run_id}"
    assert "resolved_values" not in body
    asked = render_task_run(task_run, base_url=BASE_URL, job_id=7, include_resolved_values=True)
    assert asked["resolved_values"] == {"condition_task": {"left": "1", "right": "1"}}
    assert render_task_run(task_runs[1], base_url=BASE_URL, job_id=7)["run_duration"] == 0


def _repair(run: storage.RunRecord, task_run_ids: list[int]) -> storage.RepairRecord:
    return storage.RepairRecord(
        repair_id=500,
        run_id=run.run_id,
        created_time=NOW + 2000,
        start_time=NOW + 2000,
        end_time=NOW + 3000,
        life_cycle_state=L.TERMINATED,
        result_state=R.SUCCESS,
        state_message="",
        task_run_ids=task_run_ids,
        request={},
    )


def test_repair_history_reads_the_original_outcome_from_the_state_history(
    run: storage.RunRecord, task_runs: list[storage.TaskRunRecord]
) -> None:
    repaired = replace(run, life_cycle_state=L.TERMINATED, result_state=R.SUCCESS, end_time=3)
    retried = replace(task_runs[1], run_id=501, repair_id=500)
    original_end = storage.StateChangeRecord(
        id=1,
        job_run_id=run.run_id,
        task_run_id=None,
        from_state="RUNNING",
        to_state="TERMINATED",
        result_state="FAILED",
        message="b failed",
        timestamp=NOW + 1000,
    )
    task_change = replace(original_end, id=2, task_run_id=task_runs[1].run_id, timestamp=NOW + 1)
    items = render_repair_history(
        repaired, [*task_runs, retried], [_repair(run, [501])], [task_change, original_end]
    )
    assert [item["type"] for item in items] == ["ORIGINAL", "REPAIR"]
    assert items[0]["state"]["result_state"] == "FAILED"
    assert items[0]["state"]["state_message"] == "b failed"
    assert items[0]["end_time"] == NOW + 1000
    assert items[0]["task_run_ids"] == [t.run_id for t in task_runs]
    assert items[1]["id"] == 500 and items[1]["task_run_ids"] == [501]
    assert items[1]["status"]["termination_details"]["code"] == "SUCCESS"
    body = render_run(repaired, task_runs, base_url=BASE_URL, include_history=True)
    assert [item["type"] for item in body["repair_history"]] == ["ORIGINAL"]
    assert body["repair_history"][0]["end_time"] == 3, "never repaired: the run's own outcome"
