"""RetryPolicy: which attempts are retried, and when the next one may start."""

from __future__ import annotations

import pytest

from brickyard.engine.retries import RetryPolicy
from brickyard.states import LifeCycleState, ResultState

L = LifeCycleState
R = ResultState


@pytest.mark.parametrize(
    ("life_cycle", "result", "retried"),
    [
        (L.TERMINATED, R.FAILED, True),
        (L.INTERNAL_ERROR, R.FAILED, True),
        (L.TERMINATED, R.SUCCESS, False),
        (L.TERMINATED, R.CANCELED, False),
        (L.TERMINATED, R.TIMEDOUT, False),
    ],
)
def test_only_unsuccessful_attempts_are_retried(life_cycle: L, result: R, retried: bool) -> None:
    policy = RetryPolicy(max_retries=3)
    assert policy.should_retry(attempt_number=0, life_cycle=life_cycle, result=result) is retried


def test_a_timeout_is_retried_only_with_retry_on_timeout() -> None:
    timed_out = {"attempt_number": 0, "life_cycle": L.TERMINATED, "result": R.TIMEDOUT}
    assert not RetryPolicy(max_retries=1).should_retry(**timed_out)  # type: ignore[arg-type]
    assert RetryPolicy(max_retries=1, retry_on_timeout=True).should_retry(**timed_out)  # type: ignore[arg-type]


def test_max_retries_counts_the_retries_after_the_first_attempt() -> None:
    policy = RetryPolicy(max_retries=2)
    outcomes = [
        policy.should_retry(attempt_number=n, life_cycle=L.TERMINATED, result=R.FAILED)
        for n in range(4)
    ]
    assert outcomes == [True, True, False, False]


def test_no_retries_by_default_and_forever_with_minus_one() -> None:
    assert not RetryPolicy().should_retry(
        attempt_number=0, life_cycle=L.TERMINATED, result=R.FAILED
    )
    assert RetryPolicy(max_retries=-1).should_retry(
        attempt_number=10_000, life_cycle=L.TERMINATED, result=R.FAILED
    )


def test_the_interval_counts_from_the_failed_attempts_start() -> None:
    policy = RetryPolicy(max_retries=1, min_retry_interval_millis=10_000)
    assert policy.retry_at(failed_attempt_start_ms=1_000, now_ms=4_000) == 11_000
    assert policy.retry_at(failed_attempt_start_ms=1_000, now_ms=20_000) == 20_000
    assert RetryPolicy().retry_at(failed_attempt_start_ms=1_000, now_ms=4_000) == 4_000
