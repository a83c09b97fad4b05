"""Tests for the job-run result decided by leaf tasks."""

from __future__ import annotations

import pytest

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.engine.planner import TaskState
from brickyard.engine.results import RunOutcome, run_result
from brickyard.states import ResultState, RunIf

R = ResultState


@pytest.fixture
def etl() -> Dag:
    # ingest -> load -> publish (leaf);  load -> cleanup (ALL_DONE leaf)
    return Dag(
        [
            DagTask("ingest"),
            DagTask("load", (Edge("ingest"),)),
            DagTask("publish", (Edge("load"),)),
            DagTask("cleanup", (Edge("load"),), run_if=RunIf.ALL_DONE),
        ]
    )


def _states(**results: ResultState) -> dict[str, TaskState]:
    return {key: TaskState(result) for key, result in results.items()}


def test_all_succeeded(etl: Dag) -> None:
    states = _states(ingest=R.SUCCESS, load=R.SUCCESS, publish=R.SUCCESS, cleanup=R.SUCCESS)
    assert run_result(etl, states, canceled=False, timed_out=False) == RunOutcome(R.SUCCESS, "")


def test_failing_etl_with_all_done_cleanup_leaf_is_success_with_failures() -> None:
    dag = Dag([DagTask("etl"), DagTask("cleanup", (Edge("etl"),), run_if=RunIf.ALL_DONE)])
    outcome = run_result(
        dag,
        _states(etl=R.FAILED, cleanup=R.SUCCESS),
        canceled=False,
        timed_out=False,
        messages={"etl": "ValueError: boom"},
    )
    assert outcome == RunOutcome(
        R.SUCCESS_WITH_FAILURES, "Task etl failed with message: ValueError: boom."
    )


def test_failed_task_that_skipped_its_downstream(etl: Dag) -> None:
    states = _states(ingest=R.SUCCESS, load=R.FAILED, publish=R.UPSTREAM_FAILED, cleanup=R.SUCCESS)
    outcome = run_result(etl, states, canceled=False, timed_out=False)
    assert outcome == RunOutcome(
        R.FAILED,
        "Task load failed with message: Workload failed, see run output for details. "
        "This caused all downstream tasks to get skipped.",
    )


def test_failed_leaf_without_dependents(etl: Dag) -> None:
    states = _states(ingest=R.SUCCESS, load=R.SUCCESS, publish=R.FAILED, cleanup=R.SUCCESS)
    outcome = run_result(
        etl, states, canceled=False, timed_out=False, messages={"publish": "boom."}
    )
    assert outcome == RunOutcome(R.FAILED, "Task publish failed with message: boom.")


def test_run_cancel_and_timeout_win(etl: Dag) -> None:
    states = _states(ingest=R.FAILED, load=R.UPSTREAM_FAILED)  # unfinished tasks are fine here
    assert run_result(etl, states, canceled=True, timed_out=True).result is R.CANCELED
    assert run_result(etl, states, canceled=False, timed_out=True) == RunOutcome(
        R.TIMEDOUT, "Run timed out"
    )


@pytest.mark.parametrize(
    ("publish", "cleanup", "expected"),
    [
        (R.CANCELED, R.FAILED, R.CANCELED),
        (R.UPSTREAM_CANCELED, R.TIMEDOUT, R.CANCELED),
        (R.FAILED, R.TIMEDOUT, R.FAILED),
        (R.UPSTREAM_FAILED, R.SUCCESS, R.FAILED),
        (R.TIMEDOUT, R.SUCCESS, R.TIMEDOUT),
        (R.EXCLUDED, R.DISABLED, R.SUCCESS),
        (R.SUCCESS, R.EXCLUDED, R.SUCCESS),
    ],
)
def test_leaf_precedence(
    etl: Dag, publish: ResultState, cleanup: ResultState, expected: ResultState
) -> None:
    states = _states(ingest=R.SUCCESS, load=R.SUCCESS, publish=publish, cleanup=cleanup)
    assert run_result(etl, states, canceled=False, timed_out=False).result is expected


@pytest.mark.parametrize(
    "upstream", [R.FAILED, R.TIMEDOUT, R.CANCELED, R.UPSTREAM_FAILED, R.UPSTREAM_CANCELED]
)
def test_non_leaf_failures_make_success_with_failures(etl: Dag, upstream: ResultState) -> None:
    states = _states(ingest=upstream, load=R.SUCCESS, publish=R.SUCCESS, cleanup=R.SUCCESS)
    outcome = run_result(etl, states, canceled=False, timed_out=False)
    assert outcome.result is R.SUCCESS_WITH_FAILURES


def test_canceled_leaf_message_names_the_canceled_task(etl: Dag) -> None:
    states = _states(
        ingest=R.SUCCESS, load=R.CANCELED, publish=R.UPSTREAM_CANCELED, cleanup=R.SUCCESS
    )
    assert run_result(etl, states, canceled=False, timed_out=False) == RunOutcome(
        R.CANCELED, "Task load was canceled."
    )


def test_timed_out_leaf_message(etl: Dag) -> None:
    states = _states(ingest=R.SUCCESS, load=R.SUCCESS, publish=R.TIMEDOUT, cleanup=R.SUCCESS)
    outcome = run_result(
        etl, states, canceled=False, timed_out=False, messages={"publish": "Timed out"}
    )
    assert outcome == RunOutcome(R.TIMEDOUT, "Task publish failed with message: Timed out.")


def test_success_with_failures_after_a_cancellation_names_it(etl: Dag) -> None:
    states = _states(ingest=R.SUCCESS, load=R.CANCELED, publish=R.EXCLUDED, cleanup=R.SUCCESS)
    assert run_result(etl, states, canceled=False, timed_out=False) == RunOutcome(
        R.SUCCESS_WITH_FAILURES, "Task load was canceled."
    )


def test_leaf_that_never_ran_for_concurrency_fails_the_run() -> None:
    dag = Dag([DagTask("child_job")])
    states = _states(child_job=R.MAXIMUM_CONCURRENT_RUNS_REACHED)
    assert run_result(dag, states, canceled=False, timed_out=False) == RunOutcome(
        R.FAILED, "Task child_job did not run: MAXIMUM_CONCURRENT_RUNS_REACHED."
    )


def test_disabled_and_excluded_leaves_count_as_success() -> None:
    dag = Dag([DagTask("a"), DagTask("b", disabled=True), DagTask("c", (Edge("a"),))])
    states = _states(a=R.SUCCESS, b=R.DISABLED, c=R.EXCLUDED)
    assert run_result(dag, states, canceled=False, timed_out=False).result is R.SUCCESS


def test_empty_run_succeeds() -> None:
    assert run_result(Dag([]), {}, canceled=False, timed_out=False) == RunOutcome(R.SUCCESS, "")


def test_unfinished_tasks_are_a_caller_bug(etl: Dag) -> None:
    states = {"ingest": TaskState(R.SUCCESS), "load": TaskState(None)}
    with pytest.raises(ValueError, match="tasks without a result: load, publish, cleanup"):
        run_result(etl, states, canceled=False, timed_out=False)
