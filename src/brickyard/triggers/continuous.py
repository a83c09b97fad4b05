"""Continuous jobs: exactly one active run, always.

When no run of the job is active, a new one starts (trigger CONTINUOUS) as soon as the previous
one ended, or after an exponential back-off when runs keep failing: 10 s after the first
failure, doubling up to 10 minutes, and back to none after a run that succeeds. A settings
change cancels the active run and starts one with the new settings (CONTINUOUS_RESTART);
pausing cancels it and starts nothing. "Run now" still starts a run of a paused job.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from brickyard import storage
from brickyard.states import SUCCESSFUL_RESULTS, ResultState, TriggerType
from brickyard.triggers.outcome import Fire, Outcome

POLL_MS: Final = 1000
"""How often an active continuous run is looked at (to restart it soon after it ends)."""

BACKOFF_BASE_MS: Final = 10_000
BACKOFF_MAX_MS: Final = 600_000

RUN_KEY: Final = "run_id"
"""The state key holding the run this trigger started and keeps alive."""


def backoff_ms(failures: int) -> int:
    """The wait before the next run after ``failures`` failed runs in a row."""
    if failures <= 0:
        return 0
    return int(min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS))


def evaluate_continuous(
    record: storage.JobTriggerRecord,
    now_ms: int,
    *,
    active: Sequence[storage.RunRecord],
    previous: storage.RunRecord | None,
) -> Outcome:
    """Decide for a continuous job, given its active runs and the run it started last
    (``previous``, read by its id from the state)."""
    state: dict[str, Any] = dict(record.state)
    mine = next((run for run in active if run.run_id == state.get(RUN_KEY)), None)
    if record.paused:
        state.pop("restart", None)
        return Outcome(
            due_time=None,
            state=state,
            cancel_run_ids=(mine.run_id,) if mine is not None else (),
        )
    if active:
        if mine is not None and state.get("settings_version") != record.settings_version:
            # restart with the new settings once the cancelled run has ended
            state["restart"] = True
            return Outcome(due_time=now_ms + POLL_MS, state=state, cancel_run_ids=(mine.run_id,))
        return Outcome(due_time=now_ms + POLL_MS, state=None if state == record.state else state)
    failures = int(state.get("failures", 0))
    if previous is not None and previous.run_id == state.get(RUN_KEY):
        failures = _failures_after(previous, failures)
        state["failures"] = failures
        state[RUN_KEY] = None
        state["previous_end"] = previous.end_time
    start_at = int(state.get("previous_end") or 0) + backoff_ms(failures)
    if start_at > now_ms:
        return Outcome(due_time=start_at, state=state)
    restart = bool(state.pop("restart", False))
    state["settings_version"] = record.settings_version
    trigger = TriggerType.CONTINUOUS_RESTART if restart else TriggerType.CONTINUOUS
    return Outcome(
        due_time=now_ms + POLL_MS,
        fires=(Fire(trigger, now_ms),),
        state=state,
        last_fire_time=now_ms,
        remember_run_as=RUN_KEY,
    )


def _failures_after(run: storage.RunRecord, failures: int) -> int:
    if run.result_state in SUCCESSFUL_RESULTS:
        return 0
    if run.result_state is ResultState.CANCELED:
        return failures  # a cancel (a restart, or by hand) is not the job failing
    return failures + 1
