"""Whether a job's schedules and triggers can run: checked by every parse of job settings."""

from __future__ import annotations

from typing import Any

import pytest

from brickyard.errors import InvalidInputError, JobValidationError, Problem
from brickyard.spec import parse_job_settings, parse_stored_settings
from brickyard.spec.trigger_validation import check_location, runnable_problems

GOOD = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Europe/Paris"}


def _problems(**settings: Any) -> list[Problem]:
    with pytest.raises(JobValidationError) as info:
        parse_job_settings({"name": "j", **settings}, source="job.yml")
    assert str(info.value).startswith("job.yml")
    return info.value.problems


def test_locations_are_checked_before_they_are_watched() -> None:
    check_location("/Volumes/c/s/v/x")
    check_location("dbfs:/landing")
    check_location("memory://x")
    with pytest.raises(InvalidInputError, match="is not a location"):
        check_location("relative/path")
    with pytest.raises(InvalidInputError, match="nosuchscheme"):
        check_location("nosuchscheme://bucket/x")


def test_runnable_schedules_and_triggers_pass() -> None:
    settings = parse_job_settings(
        {
            "name": "j",
            "triggers": [
                {"schedule": GOOD},
                {"file_arrival": {"url": "memory://bucket/in/"}},
                {"periodic": {"interval": 1, "unit": "HOURS"}},
            ],
        }
    )
    assert runnable_problems(settings) == []


def test_a_bad_expression_and_zone_are_reported_under_their_fields() -> None:
    problems = _problems(schedule={"quartz_cron_expression": "0 2 * * *", "timezone_id": "Mars"})
    assert [p.path for p in problems] == [
        "schedule.quartz_cron_expression",
        "schedule.timezone_id",
    ]
    cron, zone = problems
    assert "0 0 2 * * ?" in cron.message  # the Quartz form of the Unix expression
    assert zone.message.startswith("'Mars' is not a known time zone")  # the field named once


def test_every_triggers_entry_and_the_trigger_file_arrival_are_checked() -> None:
    bad_zone = {**GOOD, "timezone_id": "Nowhere/Atall"}
    assert [p.path for p in _problems(triggers=[{"schedule": GOOD}, {"schedule": bad_zone}])] == [
        "triggers[1].schedule.timezone_id"
    ]
    assert [
        p.path for p in _problems(triggers=[{"file_arrival": {"url": "nosuchscheme://x/"}}])
    ] == ["triggers[0].file_arrival.url"]
    (problem,) = _problems(trigger={"file_arrival": {"url": "landing/relative"}})
    assert problem.path == "trigger.file_arrival.url"
    assert "is not a location" in problem.message


def test_schedules_are_parsed_only_once_the_rest_of_the_settings_is_valid() -> None:
    # the expression is bad too, but a job whose fields fail gets those problems first
    (problem,) = _problems(schedule={"quartz_cron_expression": "x", "timezone_id": 5})
    assert problem.path == "schedule.timezone_id"
    assert "expected a string" in problem.message


def test_stored_settings_are_not_asked_again_whether_their_triggers_can_fire() -> None:
    # A run's snapshot was checked when it was saved; an environment change since (a time zone
    # or fsspec backend gone) must not make the run unloadable.
    raw: dict[str, Any] = {
        "name": "nightly",
        "schedule": {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Mars/Olympus"},
        "tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "/x"}}],
    }
    with pytest.raises(JobValidationError, match="timezone_id"):
        parse_job_settings(raw)
    assert parse_stored_settings(raw).schedule is not None
    with pytest.raises(JobValidationError, match="task_key"):
        parse_stored_settings({**raw, "tasks": [{"notebook_task": {"notebook_path": "/x"}}]})
