"""A relative ``notebook_path`` of a workspace notebook is refused by every API call that
takes job settings (create, reset, update, runs/submit), as Databricks refuses it; a GIT
source may name its notebooks relative to the repository."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from brickyard.api.job_input import check_notebook_paths
from brickyard.errors import InvalidInputError

GIT_SOURCE = {
    "git_url": "https://example.com/repo.git",
    "git_provider": "gitHub",
    "git_branch": "main",
}


def notebook_job(path: str, **task_fields: Any) -> dict[str, Any]:
    task = {"task_key": "nb", "notebook_task": {"notebook_path": path, **task_fields}}
    return {"name": "nb", "tasks": [task]}


def assert_refused(response: httpx.Response, where: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"
    assert body["message"].startswith(f"{where}: Invalid notebook_path 'etl/report'")
    assert "absolute" in body["message"]


def test_create_refuses_a_relative_workspace_notebook_path(api: httpx.Client) -> None:
    response = api.post("/api/2.2/jobs/create", json=notebook_job("etl/report"))
    assert_refused(response, "tasks[0].notebook_task.notebook_path")
    explicit = api.post("/api/2.1/jobs/create", json=notebook_job("etl/report", source="WORKSPACE"))
    assert_refused(explicit, "tasks[0].notebook_task.notebook_path")


def test_the_legacy_single_task_shape_is_checked_too(api: httpx.Client) -> None:
    body = {"name": "nb", "notebook_task": {"notebook_path": "etl/report"}}
    assert_refused(
        api.post("/api/2.0/jobs/create", json=body), "tasks[0].notebook_task.notebook_path"
    )


def test_absolute_and_git_paths_are_accepted(api: httpx.Client) -> None:
    assert api.post("/api/2.2/jobs/create", json=notebook_job("/Shared/report")).status_code == 200
    with_git = {**notebook_job("etl/report"), "git_source": GIT_SOURCE}
    assert api.post("/api/2.2/jobs/create", json=with_git).status_code == 200, "git_source"
    # a task may still take its notebook from the workspace in a job with git_source
    mixed = {**notebook_job("etl/report", source="WORKSPACE"), "git_source": GIT_SOURCE}
    assert_refused(
        api.post("/api/2.2/jobs/create", json=mixed), "tasks[0].notebook_task.notebook_path"
    )


def test_reset_update_and_submit_refuse_it(api: httpx.Client) -> None:
    job_id = api.post("/api/2.2/jobs/create", json=notebook_job("/Shared/report")).json()["job_id"]
    reset = api.post(
        "/api/2.2/jobs/reset", json={"job_id": job_id, "new_settings": notebook_job("etl/report")}
    )
    assert_refused(reset, "new_settings.tasks[0].notebook_task.notebook_path")
    update = api.post(
        "/api/2.2/jobs/update",
        json={"job_id": job_id, "new_settings": {"tasks": notebook_job("etl/report")["tasks"]}},
    )
    assert_refused(update, "new_settings.tasks[0].notebook_task.notebook_path")
    submitted = api.post("/api/2.2/jobs/runs/submit", json=notebook_job("etl/report"))
    assert_refused(submitted, "tasks[0].notebook_task.notebook_path")
    settings = api.get("/api/2.2/jobs/get", params={"job_id": job_id}).json()["settings"]
    assert settings["tasks"][0]["notebook_task"]["notebook_path"] == "/Shared/report"


@pytest.mark.parametrize(
    ("raw", "refused"),
    [
        (notebook_job("/abs"), None),
        (notebook_job("{{job.parameters.notebook}}"), None),
        (notebook_job("rel", source="GIT"), None),
        (
            {
                "tasks": [
                    {
                        "task_key": "loop",
                        "for_each_task": {
                            "inputs": "[1]",
                            "task": {"task_key": "in", "notebook_task": {"notebook_path": "rel"}},
                        },
                    }
                ]
            },
            "tasks[0].for_each_task.task.notebook_task.notebook_path",
        ),
    ],
)
def test_check_notebook_paths(raw: dict[str, Any], refused: str | None) -> None:
    if refused is None:
        check_notebook_paths(raw)
        return
    with pytest.raises(InvalidInputError, match=refused.replace("[", r"\[").replace("]", r"\]")):
        check_notebook_paths(raw)
