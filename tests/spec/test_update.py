"""jobs/update merging: top-level fields replaced, keyed arrays merged, fields removed."""

from __future__ import annotations

import pytest

from brickyard.errors import InvalidInputError
from brickyard.spec.update import keep_pause_status, merge_job_settings

CURRENT = {
    "name": "nightly",
    "schedule": {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "UTC"},
    "tags": {"team": "data"},
    "tasks": [
        {"task_key": "a", "notebook_task": {"notebook_path": "/a"}},
        {"task_key": "b", "notebook_task": {"notebook_path": "/b"}},
    ],
    "job_clusters": [{"job_cluster_key": "c1", "new_cluster": {"num_workers": 1}}],
}


def test_listed_tasks_replace_same_key_entries_and_new_ones_are_appended() -> None:
    merged = merge_job_settings(
        CURRENT,
        {
            "tasks": [
                {"task_key": "b", "notebook_task": {"notebook_path": "/b2"}},
                {"task_key": "c", "notebook_task": {"notebook_path": "/c"}},
            ]
        },
    )
    assert [t["task_key"] for t in merged["tasks"]] == ["a", "b", "c"]
    assert merged["tasks"][1]["notebook_task"]["notebook_path"] == "/b2"
    assert merged["job_clusters"] == CURRENT["job_clusters"]


def test_top_level_fields_are_replaced_wholesale() -> None:
    merged = merge_job_settings(CURRENT, {"tags": {"owner": "me"}, "timeout_seconds": 60})
    assert merged["tags"] == {"owner": "me"}
    assert merged["timeout_seconds"] == 60
    assert CURRENT["tags"] == {"team": "data"}, "the current settings are not modified"


def test_fields_to_remove_drops_top_level_fields_and_single_entries() -> None:
    merged = merge_job_settings(CURRENT, {}, ["schedule", "tasks/a", "job_clusters/c1"])
    assert "schedule" not in merged
    assert [t["task_key"] for t in merged["tasks"]] == ["b"]
    assert merged["job_clusters"] == []


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("tasks/zzz", r"fields_to_remove\[0\]: the job has no tasks entry with task_key 'zzz'"),
        ("schedule/quartz_cron_expression", r"only top-level fields"),
        ("", r"fields_to_remove\[0\]: expected a field name"),
    ],
)
def test_bad_removals_name_the_entry(field: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        merge_job_settings(CURRENT, {}, [field])


def test_a_task_without_key_is_rejected_with_its_index() -> None:
    with pytest.raises(InvalidInputError, match=r"new_settings.tasks\[0\]: missing task_key"):
        merge_job_settings(CURRENT, {"tasks": [{"notebook_task": {}}]})


def test_arrays_the_job_did_not_have_are_taken_as_given() -> None:
    merged = merge_job_settings({"name": "x"}, {"parameters": [{"name": "p", "default": "1"}]})
    assert merged["parameters"] == [{"name": "p", "default": "1"}]


SCHEDULE = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "UTC"}


def test_a_job_file_run_again_keeps_the_stored_pause() -> None:
    stored = {
        "schedule": {**SCHEDULE, "pause_status": "PAUSED"},
        "triggers": [{"periodic": {"interval": 1, "unit": "DAYS"}, "pause_status": "PAUSED"}],
    }
    from_file = {"schedule": SCHEDULE, "triggers": [{"periodic": {"interval": 1, "unit": "DAYS"}}]}
    assert keep_pause_status(from_file, stored) == stored


def test_a_pause_status_the_file_sets_wins_and_nothing_is_added() -> None:
    stored = {"schedule": {**SCHEDULE, "pause_status": "PAUSED"}, "continuous": {}}
    from_file = {"schedule": {**SCHEDULE, "pause_status": "UNPAUSED"}, "name": "x"}
    assert keep_pause_status(from_file, stored) == from_file
