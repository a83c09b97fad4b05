"""Schedules and triggers through the Jobs API: checked when saved (errors name the field and
propose the Quartz form), paused and resumed by ``jobs/update``, seen by the trigger rows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from brickyard import storage
from support.api_server import RunningServer, python_job

JOBS = "/api/2.2/jobs"


def _schedule(expression: str, zone: str = "UTC", **extra: str) -> dict[str, Any]:
    return {"quartz_cron_expression": expression, "timezone_id": zone, **extra}


def _triggers(server: RunningServer, job_id: int) -> list[storage.JobTriggerRecord]:
    with server.services.database.read() as conn:
        return storage.list_job_triggers(conn, job_id)


@pytest.mark.parametrize(
    ("schedule", "field", "expected"),
    [
        (_schedule("0 0 0 * * MON"), "quartz_cron_expression", "0 0 0 ? * MON"),
        (_schedule("0 30 8-17 * * MON-FRI"), "quartz_cron_expression", "0 30 8-17 ? * MON-FRI"),
        (_schedule("0 0 12 ? * 8"), "quartz_cron_expression", "day-of-week: '8'"),
        (_schedule("0 2 * * *"), "quartz_cron_expression", "0 0 2 * * ?"),
        (_schedule("0 0 2 * * ?", "Mars/Olympus"), "timezone_id", "Mars/Olympus"),
    ],
)
def test_a_schedule_quartz_cannot_run_is_refused_when_saved(
    api: httpx.Client, schedule: dict[str, Any], field: str, expected: str
) -> None:
    response = api.post(f"{JOBS}/create", json=python_job("bad", "/x.py", schedule=schedule))
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"
    assert f"schedule.{field}" in body["message"]
    assert expected in body["message"]
    assert api.get(f"{JOBS}/list").json().get("jobs", []) == [], "nothing half-written"


def test_a_file_arrival_location_that_cannot_be_watched_is_refused(api: httpx.Client) -> None:
    trigger = {"file_arrival": {"url": "landing/relative"}}
    response = api.post(f"{JOBS}/create", json=python_job("bad", "/x.py", trigger=trigger))
    assert response.status_code == 400
    assert "trigger.file_arrival.url" in response.json()["message"]


def test_update_pauses_and_resumes_the_schedule(api: httpx.Client, server: RunningServer) -> None:
    job = python_job("nightly", "/x.py", schedule=_schedule("0 0 2 * * ?", "Europe/Paris"))
    job_id = api.post(f"{JOBS}/create", json=job).json()["job_id"]
    assert [t.paused for t in _triggers(server, job_id)] == [False]
    paused = {
        "job_id": job_id,
        "new_settings": {
            "schedule": _schedule("0 0 2 * * ?", "Europe/Paris", pause_status="PAUSED")
        },
    }
    assert api.post(f"{JOBS}/update", json=paused).status_code == 200
    (row,) = _triggers(server, job_id)
    assert (row.paused, row.due_time) == (True, None)
    got = api.get(f"{JOBS}/get", params={"job_id": job_id}).json()
    assert got["settings"]["schedule"]["pause_status"] == "PAUSED"
    resumed = {
        "job_id": job_id,
        "new_settings": {"schedule": _schedule("0 0 2 * * ?", "Europe/Paris")},
    }
    assert api.post(f"{JOBS}/update", json=resumed).status_code == 200
    assert [t.paused for t in _triggers(server, job_id)] == [False]


def test_removing_the_schedule_with_fields_to_remove_forgets_its_trigger(
    api: httpx.Client, server: RunningServer
) -> None:
    job = python_job("nightly", "/x.py", schedule=_schedule("0 0 2 * * ?"))
    job_id = api.post(f"{JOBS}/create", json=job).json()["job_id"]
    body = {"job_id": job_id, "fields_to_remove": ["schedule"]}
    assert api.post(f"{JOBS}/update", json=body).status_code == 200
    assert _triggers(server, job_id) == []
    assert api.post(f"{JOBS}/delete", json={"job_id": job_id}).status_code == 200
