"""Periodic triggers through the trigger service."""

from __future__ import annotations

from datetime import timedelta

from brickyard.states import TriggerType
from support.trigger_harness import START, Triggers, ms

EVERY_2_HOURS = {"periodic": {"interval": 2, "unit": "HOURS"}}
MANY = {"max_concurrent_runs": 100}


def test_the_first_run_fires_one_interval_after_set_up_then_every_interval(
    triggers: Triggers,
) -> None:
    job_id = triggers.create_job(trigger=EVERY_2_HOURS, **MANY)
    triggers.tick_at(START)
    assert triggers.tick_at(START + timedelta(hours=1)).run_ids == ()
    triggers.tick_at(START + timedelta(hours=2))
    triggers.tick_at(START + timedelta(hours=4, seconds=2))
    runs = triggers.runs(job_id)
    assert [r.trigger for r in runs] == [TriggerType.PERIODIC] * 2
    assert [r.trigger_time for r in runs] == [
        ms(START + timedelta(hours=2)),
        ms(START + timedelta(hours=4)),
    ]


def test_an_outage_gives_one_run_and_keeps_the_phase(triggers: Triggers) -> None:
    job_id = triggers.create_job(trigger=EVERY_2_HOURS, **MANY)
    triggers.tick_at(START)
    triggers.restart()
    triggers.tick_at(START + timedelta(hours=9))
    (run,) = triggers.runs(job_id)
    assert run.trigger_time == ms(START + timedelta(hours=8))
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(hours=10))


def test_weeks_and_minutes_units(triggers: Triggers) -> None:
    weekly = triggers.create_job(trigger={"periodic": {"interval": 1, "unit": "WEEKS"}})
    minutely = triggers.create_job(trigger={"periodic": {"interval": 5, "unit": "MINUTES"}})
    triggers.tick_at(START)
    assert triggers.trigger(weekly).due_time == ms(START + timedelta(weeks=1))
    assert triggers.trigger(minutely).due_time == ms(START + timedelta(minutes=5))


def test_resuming_keeps_the_phase_of_the_last_run(triggers: Triggers) -> None:
    job_id = triggers.create_job(trigger=EVERY_2_HOURS, **MANY)
    triggers.tick_at(START)
    triggers.tick_at(START + timedelta(hours=2))
    triggers.update_job(job_id, trigger={**EVERY_2_HOURS, "pause_status": "PAUSED"}, **MANY)
    triggers.tick_at(START + timedelta(hours=7))
    triggers.update_job(job_id, trigger=EVERY_2_HOURS, **MANY)
    triggers.tick_at(START + timedelta(hours=7, minutes=1))
    assert triggers.trigger(job_id).due_time == ms(START + timedelta(hours=8))
