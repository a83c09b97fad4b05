"""The 2.0 single-task shape is lifted into tasks[0] and given back at the top level."""

from __future__ import annotations

from brickyard.views.versions import (
    flatten_single_task,
    has_single_task_shape,
    lift_single_task,
    multi_task_view,
    single_task_key,
)

LEGACY = {
    "name": "Nightly load",
    "existing_cluster_id": "1234-abc",
    "libraries": [{"pypi": {"package": "x"}}],
    "notebook_task": {"notebook_path": "/ETL/load"},
    "max_retries": 2,
    "timeout_seconds": 60,
}


def test_single_task_shape_is_recognised_only_without_tasks() -> None:
    assert has_single_task_shape(LEGACY)
    assert not has_single_task_shape({**LEGACY, "tasks": [{"task_key": "a"}]})
    assert not has_single_task_shape({"name": "x", "existing_cluster_id": "c"})


def test_lifting_moves_task_fields_and_keeps_job_fields() -> None:
    lifted = lift_single_task(LEGACY, name=LEGACY["name"])
    assert lifted["tasks"] == [
        {
            "task_key": "Nightly_load",
            "existing_cluster_id": "1234-abc",
            "libraries": [{"pypi": {"package": "x"}}],
            "notebook_task": {"notebook_path": "/ETL/load"},
            "max_retries": 2,
        }
    ]
    assert lifted["timeout_seconds"] == 60
    assert lifted["format"] == "SINGLE_TASK"
    assert "notebook_task" not in lifted


def test_a_2_0_read_gives_the_single_task_shape_back() -> None:
    lifted = lift_single_task(LEGACY, name=LEGACY["name"])
    assert flatten_single_task(lifted) == {**LEGACY, "format": "SINGLE_TASK"}
    assert multi_task_view(lifted)["tasks"] == lifted["tasks"]
    assert multi_task_view(lifted)["format"] == "MULTI_TASK"


def test_multi_task_jobs_read_on_2_0_keep_their_tasks() -> None:
    settings = {"name": "x", "tasks": [{"task_key": "a"}, {"task_key": "b"}]}
    assert flatten_single_task(settings) == settings


def test_task_keys_from_names_are_valid_keys() -> None:
    assert single_task_key("ETL: load/2024") == "ETL_load_2024"
    assert single_task_key("???") == "main"
    assert single_task_key(None) == "main"
    assert len(single_task_key("x" * 300)) == 100
