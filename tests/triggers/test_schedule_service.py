"""Cron schedules through the trigger service: arming, firing on time with the scheduled time,
idempotent ticks, missed fires, the 10-second minimum, pause, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from brickyard import storage
from brickyard.states import LifeCycleState, QueueReason, ResultState, TriggerType
from brickyard.triggers import TriggerService
from support.trigger_harness import START, Triggers, ms

EVERY_MINUTE = {"quartz_cron_expression": "0 * * * * ?", "timezone_id": "UTC"}
MANY = {"max_concurrent_runs": 100}


def test_a_new_schedule_fires_nothing_for_the_past_and_arms_the_next_fire(
    triggers: Triggers,
) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    report = triggers.tick_at(START + timedelta(seconds=5))
    assert report.run_ids == ()
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(minutes=1))


def test_a_due_schedule_starts_one_periodic_run_with_the_scheduled_time(
    triggers: Triggers,
) -> None:
    job_id = triggers.create_job(
        schedule=EVERY_MINUTE,
        parameters=[{"name": "at", "default": "{{job.trigger.time.iso_datetime}}"}],
        **MANY,
    )
    triggers.tick_at(START)
    late = START + timedelta(minutes=1, milliseconds=700)
    report = triggers.tick_at(late)
    (run,) = triggers.runs(job_id)
    assert report.run_ids == (run.run_id,)
    assert run.trigger is TriggerType.PERIODIC
    assert run.trigger_time == ms(START + timedelta(minutes=1))
    assert run.start_time == ms(late)
    assert run.job_parameters[0]["value"] == "2026-03-27T12:01:00.000Z"
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(minutes=2))


def test_running_the_same_tick_twice_creates_nothing_new(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    first = triggers.tick_at(START + timedelta(minutes=1))
    again = triggers.service.run_once(ms(START + timedelta(minutes=1)))
    assert len(first.run_ids) == 1
    assert again.run_ids == ()
    assert len(triggers.runs(job_id)) == 1


def test_two_services_on_one_store_fire_each_time_once(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    other = TriggerService(
        settings=triggers.services.settings,
        database=triggers.services.database,
        engine=triggers.services.engine,
        clock=triggers.clock,
    )
    due = ms(START + timedelta(minutes=1))
    with triggers.services.database.read() as conn:
        (record,) = storage.list_due_triggers(conn, due)
    # both read the same due row; only the first to commit may fire it
    assert other._advance(record, due) != []
    assert triggers.service._advance(record, due) == []
    assert len(triggers.runs(job_id)) == 1


def test_a_missed_fire_runs_once_for_the_latest_scheduled_time(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    triggers.restart()  # the server was down for three days
    back = START + timedelta(days=3, seconds=30)
    report = triggers.tick_at(back)
    (run,) = triggers.runs(job_id)
    assert report.run_ids == (run.run_id,)
    assert run.trigger_time == ms(START + timedelta(days=3))
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(days=3, minutes=1))


def test_a_restart_neither_loses_nor_repeats_a_fire(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    triggers.tick_at(START + timedelta(minutes=1))
    triggers.restart()
    assert triggers.tick_at(START + timedelta(minutes=1, seconds=1)).run_ids == ()
    triggers.tick_at(START + timedelta(minutes=2))
    assert [r.trigger_time for r in triggers.runs(job_id)] == [
        ms(START + timedelta(minutes=1)),
        ms(START + timedelta(minutes=2)),
    ]


def test_scheduled_runs_are_at_least_ten_seconds_apart(triggers: Triggers) -> None:
    every_5s = {"quartz_cron_expression": "0/5 * * * * ?", "timezone_id": "UTC"}
    job_id = triggers.create_job(schedule=every_5s, **MANY)
    triggers.tick_at(START)
    moment = START
    for _ in range(12):
        moment += timedelta(seconds=5)
        triggers.tick_at(moment)
    times = [r.trigger_time for r in triggers.runs(job_id)]
    assert times == [ms(START + timedelta(seconds=s)) for s in (5, 15, 25, 35, 45, 55)]


def test_the_schedule_fires_in_its_time_zone(triggers: Triggers) -> None:
    paris = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Europe/Paris"}
    job_id = triggers.create_job(schedule=paris, **MANY)
    triggers.tick_at(START)
    # 2026-03-28 02:00 in Paris is 01:00 UTC (CET). On the 29th 02:00 does not exist (the
    # clocks jump to 03:00) and Quartz skips the day; on the 30th 02:00 CEST is 00:00 UTC.
    assert triggers.trigger(job_id).due_time == ms(datetime(2026, 3, 28, 1, 0, tzinfo=UTC))
    triggers.tick_at(datetime(2026, 3, 28, 1, 0, tzinfo=UTC))
    assert triggers.trigger(job_id).due_time == ms(datetime(2026, 3, 30, 0, 0, tzinfo=UTC))


def test_a_paused_schedule_fires_nothing_and_resuming_skips_the_paused_time(
    triggers: Triggers,
) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    triggers.update_job(job_id, schedule={**EVERY_MINUTE, "pause_status": "PAUSED"}, **MANY)
    assert triggers.tick_at(START + timedelta(minutes=30)).run_ids == ()
    triggers.update_job(job_id, schedule={**EVERY_MINUTE, "pause_status": "UNPAUSED"}, **MANY)
    assert triggers.tick_at(START + timedelta(minutes=30, seconds=1)).run_ids == ()
    triggers.tick_at(START + timedelta(minutes=31))
    assert [r.trigger_time for r in triggers.runs(job_id)] == [ms(START + timedelta(minutes=31))]


def test_a_changed_expression_takes_effect_at_once(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    hourly = {"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC"}
    triggers.update_job(job_id, schedule=hourly, **MANY)
    triggers.tick_at(START + timedelta(seconds=1))
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(hours=1))


def test_a_scheduled_run_over_the_limit_is_queued_with_the_reason(triggers: Triggers) -> None:
    job_id = triggers.create_job(
        schedule=EVERY_MINUTE, max_concurrent_runs=1, queue={"enabled": True}
    )
    triggers.tick_at(START)
    triggers.tick_at(START + timedelta(minutes=1))
    triggers.tick_at(START + timedelta(minutes=2))
    first, second = triggers.runs(job_id)
    assert first.life_cycle_state is LifeCycleState.PENDING
    assert second.life_cycle_state is LifeCycleState.QUEUED
    assert second.queue_reason == QueueReason.MAX_CONCURRENT_RUNS_REACHED.value


def test_a_scheduled_run_over_the_limit_without_a_queue_is_skipped(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, max_concurrent_runs=1)
    triggers.tick_at(START)
    triggers.tick_at(START + timedelta(minutes=1))
    triggers.tick_at(START + timedelta(minutes=2))
    _, second = triggers.runs(job_id)
    assert second.life_cycle_state is LifeCycleState.SKIPPED
    assert second.result_state is ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED


def test_a_schedule_that_can_no_longer_be_read_is_retried_later(triggers: Triggers) -> None:
    bad = {"quartz_cron_expression": "0 0 25 * * ?", "timezone_id": "UTC"}
    job_id = triggers.create_job(schedule=bad)  # stored below the API's validation
    report = triggers.tick_at(START)
    assert report.run_ids == ()
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(minutes=1))


def test_a_deleted_job_stops_firing(triggers: Triggers) -> None:
    job_id = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    with triggers.services.database.transaction() as conn:
        storage.delete_job(conn, job_id)
    assert triggers.tick_at(START + timedelta(minutes=5)).run_ids == ()


def test_a_fire_whose_run_cannot_be_created_is_passed_over_without_holding_up_others(
    triggers: Triggers,
) -> None:
    broken = triggers.create_job(schedule=EVERY_MINUTE, tasks=[])  # stored below validation
    healthy = triggers.create_job(schedule=EVERY_MINUTE, **MANY)
    triggers.tick_at(START)
    report = triggers.tick_at(START + timedelta(minutes=1))
    assert triggers.runs(broken) == []
    assert [r.run_id for r in triggers.runs(healthy)] == list(report.run_ids)
    assert triggers.trigger(broken).due_time == ms(START + timedelta(minutes=2))
