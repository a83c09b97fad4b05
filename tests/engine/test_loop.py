"""The loop step: transactions per step, and the settings model carried from run creation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from brickyard.engine import RunRequest
from brickyard.spec import parse_job_settings
from brickyard.states import ResultState
from support.fake_engine import SUCCESS, FakeEngine

STEADY_STEP_TRANSACTIONS = 1
"""A step that completes tasks and plans their dependents commits once."""
LAUNCHING_STEP_TRANSACTIONS = 2
"""A step that also launches (or finishes the run) commits at most twice."""


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeEngine]:
    engine = FakeEngine(tmp_path)
    yield engine
    engine.close()


def test_a_chain_commits_at_most_once_per_steady_step(fake: FakeEngine) -> None:
    keys = [f"t{i}" for i in range(20)]
    tasks = [fake.task(key, *keys[i - 1 : i]) for i, key in enumerate(keys)]
    run_id = fake.submit({"tasks": tasks})
    fake.step()
    per_step: list[int] = []
    while fake.run(run_id).result_state is None:
        (token,) = fake.launcher.waiting()
        fake.launcher.report_started(token)
        fake.transactions = 0
        fake.step()  # RUNNING committed
        per_step.append(fake.transactions)
        fake.launcher.report_exit(token, SUCCESS)
        fake.transactions = 0
        fake.step()  # TERMINATED + the next task PENDING, the next process asked for
        per_step.append(fake.transactions)
    assert fake.run(run_id).result_state is ResultState.SUCCESS
    steady = per_step[2:-2]
    assert steady and max(steady) <= STEADY_STEP_TRANSACTIONS, per_step
    assert max(per_step) <= LAUNCHING_STEP_TRANSACTIONS, per_step


def test_a_fan_out_step_commits_once(fake: FakeEngine) -> None:
    middle = [fake.task(f"m{i}", "source") for i in range(10)]
    run_id = fake.submit(
        {
            "tasks": [
                fake.task("source"),
                *middle,
                fake.task("sink", *[t["task_key"] for t in middle]),
            ]
        }
    )
    fake.step()
    (source,) = fake.start_all()
    fake.transactions = 0
    fake.finish(source)  # source TERMINATED and ten dependents PENDING: one commit
    assert fake.transactions == STEADY_STEP_TRANSACTIONS
    assert len(fake.launcher.waiting()) == 10
    fake.start_all()
    fake.transactions = 0
    for token in [t for t in fake.launcher.asked if t != source]:
        fake.launcher.report_exit(token, SUCCESS)
    fake.step()
    assert fake.transactions == STEADY_STEP_TRANSACTIONS
    (sink,) = fake.launcher.waiting()
    fake.start_all()
    fake.transactions = 0
    fake.finish(sink)  # the last task and the run's end
    assert fake.transactions == STEADY_STEP_TRANSACTIONS
    assert fake.run(run_id).result_state is ResultState.SUCCESS


def test_a_run_created_here_is_driven_with_the_model_it_was_created_from(
    fake: FakeEngine,
) -> None:
    job = {"tasks": [fake.task("t")]}
    settings = parse_job_settings(job)
    run = fake.engine.submit(RunRequest(settings=settings, job_id=fake.create_job(job)))
    fake.step()
    assert fake.engine._loop.runs[run.run_id].settings is settings


def test_a_run_from_the_store_is_parsed(fake: FakeEngine) -> None:
    """Settings that differ from what the run was stored with (another process reused the id
    after a rolled-back creation, say) are never used: the stored ones are parsed."""
    job = {"tasks": [fake.task("t")]}
    settings = parse_job_settings(job)
    run = fake.engine.submit(RunRequest(settings=settings, job_id=fake.create_job(job)))
    other = parse_job_settings({"name": "other", "tasks": [fake.task("t")]})
    # what a rolled-back creation of another run under the same id would have left behind
    fake.engine._created.remember(replace(run, settings=other.to_api()), other)
    fake.step()
    driven = fake.engine._loop.runs[run.run_id].settings
    assert driven is not other and driven is not settings
    assert driven.to_api() == run.settings


def test_settings_are_kept_only_for_runs_the_loop_will_drive(fake: FakeEngine) -> None:
    job = {"max_concurrent_runs": 1, "tasks": [fake.task("t")]}
    job_id = fake.create_job(job)
    request = RunRequest(settings=parse_job_settings(job), job_id=job_id, idempotency_token="x")
    first = fake.engine.submit(request)
    skipped = fake.engine.submit(RunRequest(settings=parse_job_settings(job), job_id=job_id))
    assert skipped.result_state is ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED
    assert set(fake.engine._created._by_run) == {first.run_id}
    fake.step()
    assert fake.engine._created._by_run == {}
    assert fake.engine.submit(request).run_id == first.run_id  # the same run, remembered again
    fake.clock.advance(1)
    fake.step()  # the scan forgets it: the loop drives that run already
    assert fake.engine._created._by_run == {}
