"""What differs per API version in run bodies: 2.0's single-task fields, 2.2's paged arrays,
lists without tasks unless asked."""

from __future__ import annotations

from dataclasses import replace

from brickyard import storage
from brickyard.views.paging import decode_page_token
from brickyard.views.run_versions import (
    render_job_run,
    render_listed_run,
    render_task_run_as_run,
)
from brickyard.views.versions import ApiVersion

NOW = 1_763_700_000_000
BASE_URL = "http://localhost:8123"
SINGLE_TASK = {
    "name": "legacy",
    "format": "SINGLE_TASK",
    "tasks": [
        {
            "task_key": "legacy",
            "existing_cluster_id": "1234-abc",
            "libraries": [{"pypi": {"package": "x"}}],
            "notebook_task": {"notebook_path": "/ETL/load"},
            "max_retries": 2,
        }
    ],
}


def _many(task_run: storage.TaskRunRecord, count: int) -> list[storage.TaskRunRecord]:
    return [replace(task_run, run_id=1000 + i, task_key=f"t{i}") for i in range(count)]


def test_2_0_shows_a_single_task_runs_task_and_cluster_at_the_top(
    run: storage.RunRecord, task_runs: list[storage.TaskRunRecord]
) -> None:
    legacy = replace(run, settings=SINGLE_TASK)
    body = render_job_run(
        legacy, task_runs[:1], base_url=BASE_URL, version=ApiVersion.V2_0, now_ms=NOW
    )
    assert body["task"] == {"notebook_task": {"notebook_path": "/ETL/load"}}
    assert body["cluster_spec"] == {
        "existing_cluster_id": "1234-abc",
        "libraries": [{"pypi": {"package": "x"}}],
    }
    newer = render_job_run(
        legacy, task_runs[:1], base_url=BASE_URL, version=ApiVersion.V2_1, now_ms=NOW
    )
    assert "task" not in newer and "cluster_spec" not in newer
    multi = render_job_run(run, task_runs, base_url=BASE_URL, version=ApiVersion.V2_0, now_ms=NOW)
    assert "task" not in multi, "a multi-task run keeps its tasks[] even on 2.0"


def test_2_2_pages_the_tasks_of_a_run_at_100(
    run: storage.RunRecord, task_runs: list[storage.TaskRunRecord]
) -> None:
    many = _many(task_runs[0], 230)
    seen: list[str] = []
    page = 0
    while True:
        body = render_job_run(
            run, many, base_url=BASE_URL, version=ApiVersion.V2_2, page=page, now_ms=NOW
        )
        seen += [t["task_key"] for t in body["tasks"]]
        if "next_page_token" not in body:
            break
        page = decode_page_token(body["next_page_token"])
        assert page == len(seen) // 100
    assert seen == [f"t{i}" for i in range(230)]
    unpaged = render_job_run(run, many, base_url=BASE_URL, version=ApiVersion.V2_1, now_ms=NOW)
    assert len(unpaged["tasks"]) == 230 and "next_page_token" not in unpaged


def test_listed_runs_leave_tasks_out_unless_asked_and_2_2_cuts_them_at_100(
    run: storage.RunRecord, task_runs: list[storage.TaskRunRecord]
) -> None:
    plain = render_listed_run(run, None, base_url=BASE_URL, version=ApiVersion.V2_2, now_ms=NOW)
    assert "tasks" not in plain and "has_more" not in plain
    expanded = render_listed_run(
        run, task_runs, base_url=BASE_URL, version=ApiVersion.V2_2, now_ms=NOW
    )
    assert [t["task_key"] for t in expanded["tasks"]] == ["a", "b"]
    assert "has_more" not in expanded
    many = _many(task_runs[0], 101)
    cut = render_listed_run(run, many, base_url=BASE_URL, version=ApiVersion.V2_2, now_ms=NOW)
    assert len(cut["tasks"]) == 100 and cut["has_more"] is True
    whole = render_listed_run(run, many, base_url=BASE_URL, version=ApiVersion.V2_1, now_ms=NOW)
    assert len(whole["tasks"]) == 101 and "has_more" not in whole
    legacy = replace(run, settings=SINGLE_TASK)
    listed = render_listed_run(legacy, None, base_url=BASE_URL, version=ApiVersion.V2_0, now_ms=NOW)
    assert listed["task"] == {"notebook_task": {"notebook_path": "/ETL/load"}}


def test_a_task_run_read_on_its_own_carries_its_job_runs_fields(
    run: storage.RunRecord, task_runs: list[storage.TaskRunRecord]
) -> None:
    owned = replace(run, creator_user_name="bob")
    body = render_task_run_as_run(owned, task_runs[1], base_url=BASE_URL)
    assert body["run_id"] == body["number_in_job"] == task_runs[1].run_id
    assert body["job_run_id"] == run.run_id
    assert body["job_id"] == 7
    assert body["run_name"] == "nightly"
    assert body["run_type"] == "JOB_RUN" and body["trigger"] == "ONE_TIME"
    assert body["creator_user_name"] == "bob"
    assert body["task_key"] == "b"
    one_time = render_task_run_as_run(replace(run, job_id=None), task_runs[0], base_url=BASE_URL)
    assert "job_id" not in one_time and "creator_user_name" not in one_time
