"""Retries on a fake clock: the retry waits out its interval, then runs as a new attempt."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.states import LifeCycleState, ResultState
from support.fake_engine import FAILURE, SUCCESS, FakeEngine


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeEngine]:
    engine = FakeEngine(tmp_path)
    yield engine
    engine.close()


def test_a_retry_waits_for_its_interval_counted_from_the_failed_start(fake: FakeEngine) -> None:
    run_id = fake.submit(
        {"tasks": [fake.task("t", max_retries=1, min_retry_interval_millis=60_000)]}
    )
    fake.step()
    (first,) = fake.start_all()
    fake.clock.advance(10)
    fake.finish(first, FAILURE)
    failed, waiting = fake.task_runs(run_id)
    assert (failed.result_state, waiting.life_cycle_state) == (
        ResultState.FAILED,
        LifeCycleState.WAITING_FOR_RETRY,
    )
    assert waiting.retry_at == failed.start_time + 60_000
    assert waiting.original_attempt_run_id == failed.run_id and waiting.attempt_number == 1
    # the loop sleeps until the retry is due (or the next scan), never busy-waits
    assert 0 < fake.step() <= 1.0
    fake.clock.advance(49.9)
    fake.step()
    assert fake.launcher.waiting() == []
    assert fake.latest(run_id, "t").life_cycle_state is LifeCycleState.WAITING_FOR_RETRY
    fake.clock.advance(0.1)
    fake.step()
    assert fake.launcher.waiting() == [waiting.run_id]
    (second,) = fake.start_all()
    fake.finish(second)
    assert fake.run(run_id).result_state is ResultState.SUCCESS
    assert [tr.result_state for tr in fake.task_runs(run_id)] == [
        ResultState.FAILED,
        ResultState.SUCCESS,
    ]


def test_a_dependent_waits_for_the_retry_not_the_failed_attempt(fake: FakeEngine) -> None:
    """The retry attempt joins the run after the commit; meanwhile the task still counts as
    unfinished, so its dependent is neither planned nor skipped and the run does not end."""
    run_id = fake.submit({"tasks": [fake.task("a", max_retries=1), fake.task("b", "a")]})
    fake.step()
    (first,) = fake.start_all()
    fake.finish(first, FAILURE)
    assert fake.latest(run_id, "b").life_cycle_state is LifeCycleState.BLOCKED
    assert fake.run(run_id).life_cycle_state is LifeCycleState.RUNNING
    fake.step()
    (retry,) = fake.start_all()
    fake.finish(retry)
    fake.step()
    (b,) = fake.start_all()
    fake.finish(b)
    assert fake.run(run_id).result_state is ResultState.SUCCESS


def test_a_run_cancelled_while_its_retry_waits_cancels_the_retry(fake: FakeEngine) -> None:
    run_id = fake.submit(
        {"tasks": [fake.task("t", max_retries=3, min_retry_interval_millis=600_000)]}
    )
    fake.step()
    (first,) = fake.start_all()
    fake.finish(first, FAILURE)
    fake.engine.cancel_run(run_id)
    fake.step()
    fake.step()
    latest = fake.latest(run_id, "t")
    assert (latest.life_cycle_state, latest.result_state) == (
        LifeCycleState.TERMINATED,
        ResultState.CANCELED,
    )
    assert fake.run(run_id).result_state is ResultState.CANCELED


def test_retries_create_a_new_task_run_per_attempt(fake: FakeEngine) -> None:
    run_id = fake.submit({"tasks": [fake.task("t", max_retries=2, min_retry_interval_millis=300)]})
    fake.step()
    for result in (FAILURE, FAILURE, SUCCESS):
        fake.clock.advance(0.3)
        fake.step()
        (token,) = fake.start_all()
        fake.clock.advance(0.1)
        fake.finish(token, result)
    attempts = fake.task_runs(run_id)
    assert [a.result_state for a in attempts] == [
        ResultState.FAILED,
        ResultState.FAILED,
        ResultState.SUCCESS,
    ]
    assert [a.attempt_number for a in attempts] == [0, 1, 2]
    assert len({a.run_id for a in attempts}) == 3
    assert all(a.original_attempt_run_id == attempts[0].run_id for a in attempts)
    for failed, retry in itertools.pairwise(attempts):
        assert retry.start_time - failed.start_time >= 300  # from the failed attempt's start
    assert fake.run(run_id).result_state is ResultState.SUCCESS
