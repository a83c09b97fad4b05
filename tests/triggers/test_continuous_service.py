"""Continuous jobs through the trigger service: one active run, back-off, restarts, pause.

Runs are ended through the store (the engine is not running here): what matters is how the
service answers a run that ended well, failed, or is still active.
"""

from __future__ import annotations

from datetime import timedelta

from brickyard import storage
from brickyard.engine import RunRequest
from brickyard.states import LifeCycleState, ResultState, TriggerType
from support.trigger_harness import START, Triggers, ms

CONTINUOUS = {"pause_status": "UNPAUSED"}


def _end(triggers: Triggers, run_id: int, result: ResultState) -> None:
    with triggers.services.database.transaction() as conn:
        now = triggers.clock.now_ms()
        run = storage.read_run(conn, run_id)
        if run.life_cycle_state is LifeCycleState.PENDING:
            run = storage.transition_run(
                conn, run_id, expected=run.life_cycle_state, to=LifeCycleState.RUNNING, now_ms=now
            )
        storage.transition_run(
            conn,
            run_id,
            expected=run.life_cycle_state,
            to=LifeCycleState.TERMINATED,
            result=result,
            now_ms=now,
        )


def test_a_continuous_job_keeps_exactly_one_run_active(triggers: Triggers) -> None:
    job_id = triggers.create_job(continuous=CONTINUOUS)
    first = triggers.tick_at(START).run_ids
    assert len(first) == 1
    assert triggers.tick_at(START + timedelta(seconds=5)).run_ids == ()
    _end(triggers, first[0], ResultState.SUCCESS)
    second = triggers.tick_at(START + timedelta(seconds=6)).run_ids
    assert len(second) == 1
    assert [r.trigger for r in triggers.runs(job_id)] == [TriggerType.CONTINUOUS] * 2


def test_failures_back_off_exponentially_and_a_healthy_run_resets_it(
    triggers: Triggers,
) -> None:
    triggers.create_job(continuous=CONTINUOUS)
    (run_id,) = triggers.tick_at(START).run_ids
    moment = START
    for wait in (10, 20, 40):
        moment += timedelta(seconds=1)
        assert triggers.tick_at(moment).run_ids == ()  # still running
        _end(triggers, run_id, ResultState.FAILED)  # ends at `moment`
        assert triggers.tick_at(moment + timedelta(seconds=wait - 1)).run_ids == ()
        moment += timedelta(seconds=wait)
        (run_id,) = triggers.tick_at(moment).run_ids
    _end(triggers, run_id, ResultState.SUCCESS)
    moment += timedelta(seconds=1)
    assert len(triggers.tick_at(moment).run_ids) == 1


def test_a_settings_change_restarts_the_run(triggers: Triggers) -> None:
    job_id = triggers.create_job(continuous=CONTINUOUS)
    (run_id,) = triggers.tick_at(START).run_ids
    triggers.update_job(job_id, continuous=CONTINUOUS, description="v2")
    triggers.tick_at(START + timedelta(seconds=2))
    with triggers.services.database.read() as conn:
        assert storage.read_run(conn, run_id).cancel_requested
    _end(triggers, run_id, ResultState.CANCELED)
    (restarted,) = triggers.tick_at(START + timedelta(seconds=3)).run_ids
    run = triggers.runs(job_id)[-1]
    assert (run.run_id, run.trigger) == (restarted, TriggerType.CONTINUOUS_RESTART)
    assert run.settings.get("description") == "v2"


def test_pausing_cancels_the_run_and_starts_nothing(triggers: Triggers) -> None:
    job_id = triggers.create_job(continuous=CONTINUOUS)
    (run_id,) = triggers.tick_at(START).run_ids
    triggers.update_job(job_id, continuous={"pause_status": "PAUSED"})
    triggers.tick_at(START + timedelta(seconds=2))
    with triggers.services.database.read() as conn:
        assert storage.read_run(conn, run_id).cancel_requested
    _end(triggers, run_id, ResultState.CANCELED)
    assert triggers.tick_at(START + timedelta(minutes=5)).run_ids == ()
    triggers.update_job(job_id, continuous=CONTINUOUS)
    assert len(triggers.tick_at(START + timedelta(minutes=6)).run_ids) == 1


def test_a_run_started_by_hand_counts_as_the_active_run(triggers: Triggers) -> None:
    job_id = triggers.create_job(continuous=CONTINUOUS, max_concurrent_runs=5)
    with triggers.services.database.read() as conn:
        job = storage.read_job(conn, job_id)
    triggers.services.engine.submit(RunRequest.for_job(job))
    assert triggers.tick_at(START).run_ids == ()
    assert triggers.trigger(job_id).due_time == ms(START) + 1000
