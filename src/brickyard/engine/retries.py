"""The retry policy of a task (databricks-semantics §1.12), as pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from brickyard.states import LifeCycleState, ResultState


@dataclass(frozen=True)
class RetryPolicy:
    """A task's ``max_retries`` (-1 = forever), ``min_retry_interval_millis`` and
    ``retry_on_timeout``."""

    max_retries: int = 0
    min_retry_interval_millis: int = 0
    retry_on_timeout: bool = False

    def should_retry(
        self, *, attempt_number: int, life_cycle: LifeCycleState, result: ResultState
    ) -> bool:
        """Whether the attempt numbered ``attempt_number`` (0 = first) gets another one.

        Retries follow an unsuccessful attempt: result FAILED or life cycle INTERNAL_ERROR, and
        TIMEDOUT only with ``retry_on_timeout``. Cancellations are never retried.
        """
        if result is ResultState.TIMEDOUT:
            unsuccessful = self.retry_on_timeout
        else:
            unsuccessful = (
                result is ResultState.FAILED or life_cycle is LifeCycleState.INTERNAL_ERROR
            )
        if not unsuccessful:
            return False
        return self.max_retries == -1 or attempt_number < self.max_retries

    def retry_at(self, failed_attempt_start_ms: int, now_ms: int) -> int:
        """When the next attempt may start: the interval counts from the failed attempt's start."""
        return max(now_ms, failed_attempt_start_ms + self.min_retry_interval_millis)
