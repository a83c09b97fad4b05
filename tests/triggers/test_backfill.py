"""Backfill intervals: cron fire times in the schedule's zone (DST included), periodic steps,
the half-open range, the limits, and the run requests they become."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from brickyard import storage
from brickyard.errors import InvalidInputError
from brickyard.states import TriggerType
from brickyard.triggers.backfill import (
    MAX_INTERVALS,
    backfill_schedule,
    format_time,
    parse_time,
    plan_backfill,
    require_schedule,
)

PARIS = ZoneInfo("Europe/Paris")
TASKS = [{"task_key": "t", "spark_python_task": {"python_file": "t.py"}}]


def job(**settings: Any) -> storage.JobRecord:
    body = {"name": "daily-etl", "tasks": TASKS, **settings}
    return storage.JobRecord(
        job_id=7,
        name="daily-etl",
        settings=body,
        created_time=0,
        creator_user_name=None,
        source_path="/jobs/daily/job.json",
        version=1,
    )


def cron(expression: str, zone: str = "Europe/Paris", **extra: Any) -> dict[str, Any]:
    return {"schedule": {"quartz_cron_expression": expression, "timezone_id": zone, **extra}}


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


def starts(record: storage.JobRecord, start: str, end: str) -> list[str]:
    schedule = require_schedule(record)
    plan = plan_backfill(
        record,
        from_ms=parse_time(start, schedule.zone, name="--from"),
        to_ms=parse_time(end, schedule.zone, name="--to"),
    )
    return [format_time(value, schedule.zone) for value in plan.starts]


def test_daily_cron_across_spring_forward_follows_quartz_and_the_offset() -> None:
    # Quartz does not fire a daily 02:00 on the day 02:00 does not exist (2026-03-29 in Paris)
    assert starts(job(**cron("0 0 2 * * ?")), "2026-03-27", "2026-04-01") == [
        "2026-03-27T02:00:00+01:00",
        "2026-03-28T02:00:00+01:00",
        "2026-03-30T02:00:00+02:00",
        "2026-03-31T02:00:00+02:00",
    ]


def test_hourly_cron_across_fall_back_keeps_quartz_single_two_oclock() -> None:
    fires = starts(job(**cron("0 0 * * * ?")), "2026-10-25T00:00", "2026-10-25T05:00")
    assert fires == [
        "2026-10-25T00:00:00+02:00",
        "2026-10-25T01:00:00+02:00",
        "2026-10-25T02:00:00+01:00",
        "2026-10-25T03:00:00+01:00",
        "2026-10-25T04:00:00+01:00",
    ]


def test_the_range_is_half_open() -> None:
    record = job(**cron("0 0 0 * * ?", "UTC"))
    assert starts(record, "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z") == [
        "2026-01-01T00:00:00+00:00",
        "2026-01-02T00:00:00+00:00",
    ]
    # one millisecond later neither end is a fire any more
    assert starts(record, "2026-01-01T00:00:00.001Z", "2026-01-03T00:00:00.001Z") == [
        "2026-01-02T00:00:00+00:00",
        "2026-01-03T00:00:00+00:00",
    ]


def test_naive_times_are_read_in_the_schedule_zone_and_aware_ones_kept() -> None:
    assert parse_time("2026-03-01", PARIS, name="--from") == ms("2026-02-28T23:00:00+00:00")
    assert parse_time("2026-07-01T02:00", PARIS, name="--from") == ms("2026-07-01T00:00:00Z")
    assert parse_time("2026-07-01T02:00Z", PARIS, name="--from") == ms("2026-07-01T02:00:00Z")
    record = job(**cron("0 0 0 * * ?"))
    assert starts(record, "2026-07-01", "2026-07-02") == ["2026-07-01T00:00:00+02:00"]
    # the same range in UTC starts two hours later: Paris' midnight of the 1st is outside it
    assert starts(record, "2026-07-01T00:00Z", "2026-07-02T00:00Z") == ["2026-07-02T00:00:00+02:00"]


def test_a_bad_time_names_the_option() -> None:
    with pytest.raises(InvalidInputError, match=r"^--to: 'yesterday' is not an ISO-8601"):
        parse_time("yesterday", UTC, name="--to")
    with pytest.raises(InvalidInputError, match=r"^--from: '0001-01-01' is not between 1970"):
        parse_time("0001-01-01", PARIS, name="--from")


def test_periodic_intervals_step_from_the_range_start() -> None:
    record = job(trigger={"periodic": {"interval": 2, "unit": "HOURS"}})
    assert starts(record, "2026-01-01T00:30Z", "2026-01-01T06:30Z") == [
        "2026-01-01T00:30:00+00:00",
        "2026-01-01T02:30:00+00:00",
        "2026-01-01T04:30:00+00:00",
    ]
    assert starts(record, "2026-01-01T00:30Z", "2026-01-01T06:31Z")[-1] == (
        "2026-01-01T06:30:00+00:00"
    )
    assert require_schedule(record).description == "every 2 HOURS"


def test_a_schedule_wins_over_triggers_and_the_first_triggers_schedule_is_used() -> None:
    both = job(**cron("0 0 1 * * ?", "UTC"), trigger={"periodic": {"interval": 1, "unit": "DAYS"}})
    assert require_schedule(both).description == "cron 0 0 1 * * ? UTC"
    listed = job(
        triggers=[
            {"file_arrival": {"url": "/Volumes/x"}},
            {"schedule": {"quartz_cron_expression": "0 0 3 * * ?", "timezone_id": "UTC"}},
            {"schedule": {"quartz_cron_expression": "0 0 4 * * ?", "timezone_id": "UTC"}},
        ]
    )
    assert starts(listed, "2026-01-01", "2026-01-02") == ["2026-01-01T03:00:00+00:00"]
    assert backfill_schedule(job(trigger={"file_arrival": {"url": "/Volumes/x"}}).settings) is None


def test_fires_closer_than_ten_seconds_are_passed_over_as_the_scheduler_does() -> None:
    record = job(**cron("* * * * * ?", "UTC"))
    fires = starts(record, "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z")
    assert fires == [
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T00:00:10+00:00",
        "2026-01-01T00:00:20+00:00",
    ]


def test_more_than_the_limit_is_refused_with_the_count() -> None:
    record = job(**cron("0 0 * * * ?", "UTC"))  # hourly: 1,008 fires in 6 weeks
    with pytest.raises(InvalidInputError, match=r"holds 1,008 intervals .*narrow --from/--to"):
        starts(record, "2026-01-01", "2026-02-12")
    assert len(starts(record, "2026-01-01", "2026-02-11T16:00")) == MAX_INTERVALS
    periodic = job(trigger={"periodic": {"interval": 1, "unit": "MINUTES"}})
    with pytest.raises(InvalidInputError, match=r"holds 525,600 intervals of every 1 MINUTES"):
        starts(periodic, "2025-01-01", "2026-01-01")
    every_second = job(**cron("* * * * * ?", "UTC"))
    with pytest.raises(InvalidInputError, match=r"holds more than 25,000 intervals"):
        starts(every_second, "2025-01-01", "2026-01-01")


def test_no_schedule_empty_range_and_unknown_parameter_are_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^job 7 'daily-etl' has no schedule or periodic"):
        require_schedule(job(continuous={"pause_status": "UNPAUSED"}))
    record = job(**cron("0 0 0 * * ?", "UTC"), parameters=[{"name": "run_date", "default": ""}])
    with pytest.raises(InvalidInputError, match=r"--from 2026-01-02T00:00:00\+00:00 is not before"):
        plan_backfill(record, from_ms=ms("2026-01-02T00:00Z"), to_ms=ms("2026-01-02T00:00Z"))
    with pytest.raises(InvalidInputError, match=r"--param 'day': not a parameter .*run_date"):
        plan_backfill(
            record,
            from_ms=ms("2026-01-01T00:00Z"),
            to_ms=ms("2026-01-02T00:00Z"),
            job_parameters={"day": "x"},
        )


def test_zero_intervals_is_a_plan_with_no_runs() -> None:
    record = job(**cron("0 0 0 1 1 ?", "UTC"))
    assert starts(record, "2026-02-01", "2026-03-01") == []


def test_requests_are_queued_one_time_runs_with_the_interval_start() -> None:
    record = job(
        **cron("0 0 2 * * ?", pause_status="PAUSED"),
        parameters=[{"name": "run_date", "default": "{{job.trigger.time.iso_date}}"}],
    )
    plan = plan_backfill(
        record,
        from_ms=ms("2026-03-27T00:00+01:00"),
        to_ms=ms("2026-03-29T00:00+01:00"),
        job_parameters={"run_date": "{{backfill.iso_date}}"},
    )
    requests = plan.requests()
    assert [r.backfill_time_ms for r in requests] == list(plan.starts)
    assert [r.backfill_time_ms for r in requests] == [
        ms("2026-03-27T02:00+01:00"),
        ms("2026-03-28T02:00+01:00"),
    ]
    for request in requests:
        assert request.job_id == 7
        assert request.trigger is TriggerType.ONE_TIME
        assert request.queue_enabled is True
        assert request.overrides.job_parameters == {"run_date": "{{backfill.iso_date}}"}
        assert request.base_dir is not None and request.base_dir.as_posix() == "/jobs/daily"
        assert request.trigger_context == {"backfill_time": request.backfill_time_ms}
    assert plan.max_concurrent_runs == 1
