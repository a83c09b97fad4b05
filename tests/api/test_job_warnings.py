"""What brickyard will not act on in job settings a client sends is logged as WARNING; the
response is Databricks' own (no warnings field), and an unknown task type is still stored."""

from __future__ import annotations

import logging

import httpx
import pytest

from brickyard.api.job_input import settings_from_request, validated
from brickyard.api.versions import ApiVersion

LOGGER = "brickyard.api.job_warnings"
SETTINGS = {
    "name": "nightly",
    "tasks": [
        {
            "task_key": "t",
            "notebook_task": {"notebook_path": "/n"},
            "libraries": [{"maven": {"coordinates": "com.example:lib:1.0"}}],
        },
        {"task_key": "u", "notebok_task": {"notebook_path": "/n"}},
    ],
}


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


def test_settings_from_a_request_log_each_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        settings_from_request(SETTINGS, ApiVersion.V2_1)
    assert _warnings(caplog) == [
        "job 'nightly': tasks[1].notebok_task: unknown task type 'notebok_task'; "
        "did you mean 'notebook_task'?",
        "job 'nightly': tasks[0].libraries[0].maven: maven libraries are not installed by "
        "brickyard yet; the task runs without them",
    ]


def test_settings_without_anything_ignored_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        validated({"tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/n"}}]})
    assert _warnings(caplog) == []


def test_jobs_create_logs_and_answers_as_databricks_does(
    api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = api.post("/api/2.1/jobs/create", json=SETTINGS)
    assert response.status_code == 200
    assert list(response.json()) == ["job_id"]
    assert len(_warnings(caplog)) == 2
