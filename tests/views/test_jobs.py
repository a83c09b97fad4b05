"""Jobs as jobs/get and jobs/list return them, per version."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brickyard import storage
from brickyard.views.jobs import render_job, render_listed_job, settings_view
from brickyard.views.paging import decode_page_token
from brickyard.views.versions import ApiVersion

NOW = 1_763_700_000_000
LEGACY: dict[str, Any] = {
    "name": "legacy",
    "format": "SINGLE_TASK",
    "tasks": [{"task_key": "legacy", "notebook_task": {"notebook_path": "/ETL/load"}}],
}


def _job(settings: dict[str, Any], creator: str | None = "alice") -> storage.JobRecord:
    return storage.JobRecord(
        job_id=3,
        name=str(settings.get("name", "")),
        settings=settings,
        created_time=NOW,
        creator_user_name=creator,
        source_path=None,
        version=1,
    )


def _tasks(count: int) -> list[dict[str, Any]]:
    return [{"task_key": f"t{i}"} for i in range(count)]


def test_settings_take_each_versions_shape() -> None:
    assert settings_view(LEGACY, ApiVersion.V2_0)["notebook_task"] == {"notebook_path": "/ETL/load"}
    assert "tasks" not in settings_view(LEGACY, ApiVersion.V2_0)
    for version in (ApiVersion.V2_1, ApiVersion.V2_2):
        view = settings_view(LEGACY, version)
        assert view["format"] == "MULTI_TASK" and view["tasks"] == LEGACY["tasks"]


def test_a_job_names_its_creator_and_who_it_runs_as() -> None:
    body = render_job(_job(LEGACY), ApiVersion.V2_1)
    assert body["job_id"] == 3 and body["created_time"] == NOW
    assert body["creator_user_name"] == "alice"
    assert body["run_as_user_name"] == "alice"
    as_robot = render_job(
        _job({**LEGACY, "run_as": {"service_principal_name": "robot"}}), ApiVersion.V2_1
    )
    assert as_robot["run_as_user_name"] == "robot"
    nobody = render_job(_job(LEGACY, creator=None), ApiVersion.V2_1)
    assert "creator_user_name" not in nobody and "run_as_user_name" not in nobody


def test_2_2_pages_the_settings_arrays_of_jobs_get() -> None:
    job = _job({"name": "big", "tasks": _tasks(150), "parameters": [{"name": "p"}]})
    first = render_job(job, ApiVersion.V2_2)
    assert len(first["settings"]["tasks"]) == 100
    assert first["settings"]["parameters"] == [{"name": "p"}]
    second = render_job(job, ApiVersion.V2_2, page=decode_page_token(first["next_page_token"]))
    assert [t["task_key"] for t in second["settings"]["tasks"]] == [
        f"t{i}" for i in range(100, 150)
    ]
    assert second["settings"]["parameters"] == []
    assert "next_page_token" not in second
    assert len(render_job(job, ApiVersion.V2_1)["settings"]["tasks"]) == 150


def test_listed_jobs_hide_tasks_unless_expanded() -> None:
    job = _job({"name": "big", "tasks": _tasks(120), "job_clusters": [{"job_cluster_key": "c"}]})
    hidden = render_listed_job(job, ApiVersion.V2_2, expand_tasks=False)
    assert "tasks" not in hidden["settings"] and "job_clusters" not in hidden["settings"]
    assert hidden["settings"]["name"] == "big" and "has_more" not in hidden
    expanded = render_listed_job(job, ApiVersion.V2_2, expand_tasks=True)
    assert len(expanded["settings"]["tasks"]) == 100 and expanded["has_more"] is True
    whole = render_listed_job(job, ApiVersion.V2_1, expand_tasks=True)
    assert len(whole["settings"]["tasks"]) == 120 and "has_more" not in whole
    legacy = render_listed_job(replace(job, settings=LEGACY), ApiVersion.V2_0, expand_tasks=False)
    assert legacy["settings"]["notebook_task"] == {"notebook_path": "/ETL/load"}
