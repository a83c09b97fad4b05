"""The Batch: moves checked when they are made, everything written in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard import storage
from brickyard.engine.active_run import ActiveRun
from brickyard.engine.batch import Batch, RetryAttempt
from brickyard.engine.events import RunChanged, TaskRunChanged
from brickyard.errors import IllegalTransitionError
from brickyard.states import LifeCycleState, ResultState
from support.fake_engine import FakeEngine

L = LifeCycleState


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeEngine]:
    engine = FakeEngine(tmp_path)
    yield engine
    engine.close()


def _loaded(fake: FakeEngine, run_id: int) -> ActiveRun:
    with fake.database.read() as conn:
        record = storage.read_run(conn, run_id)
        return ActiveRun.load(record, storage.list_task_runs(conn, run_id), {})


def test_an_illegal_move_raises_where_it_is_made_and_changes_nothing(fake: FakeEngine) -> None:
    run = _loaded(fake, fake.submit({"tasks": [fake.task("a")]}))
    attempt = run.latest["a"]
    batch = Batch()
    with pytest.raises(IllegalTransitionError, match=r"BLOCKED to .*RUNNING"):
        batch.move(run, attempt, L.RUNNING, now_ms=1)
    assert attempt.life_cycle is L.BLOCKED and not batch
    with pytest.raises(IllegalTransitionError):
        batch.move_run(run, L.BLOCKED)
    assert run.record.life_cycle_state is L.PENDING and not batch


def test_a_batch_commits_in_one_transaction_and_returns_its_events(fake: FakeEngine) -> None:
    run_id = fake.submit({"tasks": [fake.task("a"), fake.task("b")]})
    run = _loaded(fake, run_id)
    batch = Batch()
    batch.move_run(run, L.RUNNING, message="")
    assert run.record.life_cycle_state is L.RUNNING  # in memory at once
    for key in ("a", "b"):
        batch.move(run, run.latest[key], L.PENDING, now_ms=5)
    batch.move(run, run.latest["a"], L.RUNNING, now_ms=6)
    fake.transactions = 0
    events = batch.commit(fake.database, now_ms=6)
    assert fake.transactions == 1
    assert {(e.task_key, e.life_cycle_state) for e in events if isinstance(e, TaskRunChanged)} == {
        ("a", L.RUNNING),
        ("b", L.PENDING),
    }
    assert [e.life_cycle_state for e in events if isinstance(e, RunChanged)] == [L.RUNNING]
    assert fake.run(run_id).life_cycle_state is L.RUNNING
    assert fake.latest(run_id, "a").start_time == 6
    assert not batch and batch.commit(fake.database, now_ms=7) == []
    assert fake.transactions == 1  # an empty batch opens no transaction


def test_a_retry_gets_its_id_at_commit_and_joins_the_run_after_it(fake: FakeEngine) -> None:
    run_id = fake.submit({"tasks": [fake.task("a", max_retries=1)]})
    run = _loaded(fake, run_id)
    failed = run.latest["a"]
    batch = Batch()
    batch.move(run, failed, L.PENDING, now_ms=1)
    batch.move(run, failed, L.RUNNING, now_ms=1)
    batch.move(run, failed, L.TERMINATED, now_ms=2, result=ResultState.FAILED)
    batch.retry(
        RetryAttempt(
            run=run,
            failed=failed,
            task=run.task("a").to_api(),
            original_attempt_run_id=failed.task_run_id,
            retry_at=1_000,
            message="Waiting to retry (attempt 1)",
        )
    )
    assert run.latest["a"] is failed and not run.is_finished()
    assert "a" in run.planner_states() and run.planner_states()["a"].result is None
    called: list[int] = []
    batch.after_commit(lambda: called.append(len(run.attempts)))
    batch.commit(fake.database, now_ms=2)
    retry = run.latest["a"]
    assert retry is not failed and retry.task_run_id > failed.task_run_id
    assert (retry.life_cycle, retry.retry_at, retry.attempt_number) == (
        L.WAITING_FOR_RETRY,
        1_000,
        1,
    )
    assert called == [2]  # after the commit, with the retry joined
    stored = fake.latest(run_id, "a")
    assert (stored.run_id, stored.life_cycle_state) == (retry.task_run_id, L.WAITING_FOR_RETRY)
    assert not run.is_finished()
