"""Task timeouts, job timeouts and cancellation on a fake clock."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.engine.batch import Batch
from brickyard.engine.stopping import Stopper
from brickyard.states import LifeCycleState, ResultState
from support.fake_engine import FAILURE, FakeEngine


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeEngine]:
    engine = FakeEngine(tmp_path)
    yield engine
    engine.close()


def test_a_task_is_stopped_at_its_timeout_and_ends_timed_out(fake: FakeEngine) -> None:
    run_id = fake.submit({"tasks": [fake.task("t", timeout_seconds=10)]})
    fake.step()
    (token,) = fake.start_all()
    pid = fake.launcher.asked[token].pid
    assert fake.step() <= 1.0
    fake.clock.advance(9.99)
    fake.step()
    assert fake.launcher.terminated == []
    fake.clock.advance(0.01)
    fake.step()
    assert fake.launcher.terminated == [pid]
    assert fake.latest(run_id, "t").life_cycle_state is LifeCycleState.TERMINATING
    fake.finish(token, None, status=-15)
    latest = fake.latest(run_id, "t")
    assert (latest.result_state, latest.state_message) == (
        ResultState.TIMEDOUT,
        "Timed out after 10 seconds",
    )
    assert fake.run(run_id).result_state is ResultState.TIMEDOUT


def test_the_job_timeout_stops_running_tasks_and_cancels_the_rest(fake: FakeEngine) -> None:
    run_id = fake.submit({"timeout_seconds": 30, "tasks": [fake.task("a"), fake.task("b", "a")]})
    fake.step()
    (a,) = fake.start_all()
    fake.clock.advance(29.9)
    fake.step()
    assert fake.launcher.terminated == []
    fake.clock.advance(0.1)
    fake.step()
    assert fake.launcher.terminated == [fake.launcher.asked[a].pid]
    assert fake.run(run_id).life_cycle_state is LifeCycleState.TERMINATING
    fake.finish(a, None, status=-15)
    done = fake.run(run_id)
    assert (done.life_cycle_state, done.result_state) == (
        LifeCycleState.TERMINATED,
        ResultState.TIMEDOUT,
    )
    b = fake.latest(run_id, "b")
    assert (b.result_state, b.state_message) == (
        ResultState.CANCELED,
        "Not started: the run timed out",
    )


def test_cancel_stops_running_tasks_and_runs_cleanup_tasks(fake: FakeEngine) -> None:
    run_id = fake.submit(
        {
            "tasks": [
                fake.task("a"),
                fake.task("b", "a"),
                fake.task("cleanup", "a", run_if="ALL_DONE"),
            ]
        }
    )
    fake.step()
    (a,) = fake.start_all()
    fake.engine.cancel_run(run_id)
    fake.step()
    assert fake.launcher.terminated == [fake.launcher.asked[a].pid]
    assert fake.run(run_id).life_cycle_state is LifeCycleState.TERMINATING
    fake.finish(a, None, status=-15)
    assert fake.latest(run_id, "a").result_state is ResultState.CANCELED
    assert fake.latest(run_id, "b").result_state is ResultState.UPSTREAM_CANCELED
    (cleanup,) = fake.start_all()
    fake.finish(cleanup)
    assert fake.latest(run_id, "cleanup").result_state is ResultState.SUCCESS
    assert fake.run(run_id).result_state is ResultState.CANCELED


def test_an_interrupt_is_recorded_by_the_loop(fake: FakeEngine) -> None:
    run_id = fake.submit({"tasks": [fake.task("a")]})
    fake.step()
    (a,) = fake.start_all()
    fake.engine.interrupt(run_id, hard=True)
    fake.step()
    assert fake.run(run_id).cancel_requested
    fake.finish(a, None, status=-15)
    assert fake.run(run_id).result_state is ResultState.CANCELED


def test_cancelling_one_task_run_cancels_its_dependents_only(fake: FakeEngine) -> None:
    run_id = fake.submit(
        {
            "tasks": [
                fake.task("slow"),
                fake.task("other"),
                fake.task("after", "slow"),
                fake.task("cleanup", "slow", "other", run_if="ALL_DONE"),
            ]
        }
    )
    fake.step()
    tokens = fake.start_all()
    slow = fake.latest(run_id, "slow").run_id
    fake.engine.cancel_task_run(slow)
    fake.step()
    assert fake.launcher.terminated == [fake.launcher.asked[slow].pid]
    fake.finish(slow, None, status=-15)
    (other,) = [t for t in tokens if t != slow]
    fake.finish(other)
    (cleanup,) = fake.start_all()
    fake.finish(cleanup)
    results = {tr.task_key: tr.result_state for tr in fake.task_runs(run_id)}
    assert results == {
        "slow": ResultState.CANCELED,
        "other": ResultState.SUCCESS,
        "after": ResultState.UPSTREAM_CANCELED,
        "cleanup": ResultState.SUCCESS,
    }


def test_deadlines_are_the_task_and_job_timeouts_and_due_retries(fake: FakeEngine) -> None:
    run_id = fake.submit(
        {
            "timeout_seconds": 30,
            "tasks": [
                fake.task("slow", timeout_seconds=10),
                fake.task("flaky", max_retries=1, min_retry_interval_millis=5_000),
            ],
        }
    )
    start = fake.clock.now_ms()
    fake.step()
    slow, flaky = fake.start_all()
    fake.finish(flaky, FAILURE)
    run = fake.engine._loop.runs[run_id]
    stopper = Stopper(fake.launcher, deque())
    assert sorted(stopper.deadlines(run)) == [start + 5_000, start + 10_000, start + 30_000]
    batch = Batch()
    stopper.cancel(run, batch, now_ms=fake.clock.now_ms(), hard=False)
    # the running attempt is signalled, the waiting retry ends at once, the run is stopping
    assert fake.launcher.terminated == [fake.launcher.asked[slow].pid]
    assert run.latest["flaky"].result is ResultState.CANCELED
    assert run.record.life_cycle_state is LifeCycleState.TERMINATING
