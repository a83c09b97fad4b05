"""Admission (max_concurrent_runs): start, queue or skip."""

from __future__ import annotations

from brickyard.engine.queueing import Admission, admit
from brickyard.states import LifeCycleState, QueueReason, ResultState


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
