"""Admission (max_concurrent_runs): start, queue or skip; queued runs promoted and cancelled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.engine.queueing import Admission, admit
from brickyard.states import LifeCycleState, QueueReason, ResultState
from support.fake_engine import FakeEngine


def test_a_run_under_the_limit_starts() -> None:
    assert admit(max_concurrent_runs=2, active_runs=1, queue_enabled=False) == Admission(
        LifeCycleState.PENDING
    )


def test_zero_skips_every_run_even_with_queueing() -> None:
    admission = admit(max_concurrent_runs=0, active_runs=0, queue_enabled=True)
    assert admission.state is LifeCycleState.SKIPPED
    assert admission.result is ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED
    assert admission.message == "Skipping this run because max_concurrent_runs is 0."


def test_at_the_limit_a_run_queues_when_queueing_is_on() -> None:
    admission = admit(max_concurrent_runs=3, active_runs=3, queue_enabled=True)
    assert admission == Admission(
        LifeCycleState.QUEUED,
        message="Queued due to reaching maximum concurrent runs of 3.",
        queue_reason=QueueReason.MAX_CONCURRENT_RUNS_REACHED,
    )


def test_at_the_limit_a_run_is_skipped_without_queueing() -> None:
    one = admit(max_concurrent_runs=1, active_runs=1, queue_enabled=False)
    assert (one.state, one.result) == (
        LifeCycleState.SKIPPED,
        ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED,
    )
    assert one.message == (
        "Skipping this run because the limit of 1 maximum concurrent run has been reached."
    )
    two = admit(max_concurrent_runs=2, active_runs=5, queue_enabled=False)
    assert two.message.endswith("limit of 2 maximum concurrent runs have been reached.")


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeEngine]:
    engine = FakeEngine(tmp_path)
    yield engine
    engine.close()


def test_at_the_limit_runs_are_skipped_or_queued(fake: FakeEngine) -> None:
    job = {"max_concurrent_runs": 1, "tasks": [fake.task("t")]}
    job_id = fake.create_job(job)
    fake.submit(job, job_id=job_id)
    skipped = fake.run(fake.submit(job, job_id=job_id))
    assert (skipped.life_cycle_state, skipped.result_state) == (
        LifeCycleState.SKIPPED,
        ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED,
    )
    assert "maximum concurrent" in skipped.state_message
    queued = fake.run(fake.submit(job | {"queue": {"enabled": True}}, job_id=job_id))
    assert queued.life_cycle_state is LifeCycleState.QUEUED
    never = fake.run(fake.submit(job | {"max_concurrent_runs": 0}, job_id=job_id))
    assert never.result_state is ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED


def test_a_queued_run_is_promoted_when_the_slot_frees(fake: FakeEngine) -> None:
    job = {"max_concurrent_runs": 1, "queue": {"enabled": True}, "tasks": [fake.task("t")]}
    job_id = fake.create_job(job)
    first = fake.submit(job, job_id=job_id)
    second = fake.submit(job, job_id=job_id)
    fake.step()
    assert fake.run(second).life_cycle_state is LifeCycleState.QUEUED
    (token,) = fake.start_all()
    fake.clock.advance(42)
    fake.step()  # the queue stays put while the slot is taken
    assert fake.run(second).life_cycle_state is LifeCycleState.QUEUED
    fake.finish(token)
    assert fake.run(first).result_state is ResultState.SUCCESS
    fake.step()  # the freed slot: promoted at this step's commit
    promoted = fake.run(second)
    assert promoted.life_cycle_state is LifeCycleState.PENDING
    assert promoted.queue_duration == 42_000 and promoted.queue_reason is None
    fake.step()
    (token,) = fake.start_all()
    fake.finish(token)
    assert fake.run(second).result_state is ResultState.SUCCESS


def test_a_queued_run_cancelled_ends_without_starting(fake: FakeEngine) -> None:
    job = {"max_concurrent_runs": 1, "queue": {"enabled": True}, "tasks": [fake.task("t")]}
    job_id = fake.create_job(job)
    first = fake.submit(job, job_id=job_id)
    queued = fake.submit(job, job_id=job_id)
    fake.step()
    fake.engine.cancel_run(queued)
    fake.step()
    ended = fake.run(queued)
    assert (ended.life_cycle_state, ended.result_state, ended.state_message) == (
        LifeCycleState.TERMINATED,
        ResultState.CANCELED,
        "Run canceled while queued.",
    )
    assert [tr.result_state for tr in fake.task_runs(queued)] == [ResultState.CANCELED]
    assert len(fake.launcher.asked) == 1  # only the first run's task ever asked for a process
    assert fake.latest(queued, "t").pid is None
    (token,) = fake.start_all()
    fake.finish(token)
    assert fake.run(first).result_state is ResultState.SUCCESS
