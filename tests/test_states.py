"""The one transition table: every allowed move, and a sample of moves it refuses."""

from __future__ import annotations

import pytest

from brickyard.errors import IllegalTransitionError
from brickyard.states import (
    TERMINAL_LIFE_CYCLE,
    TRANSITIONS,
    LifeCycleState,
    ResultState,
    check_transition,
)

L = LifeCycleState
R = ResultState

# Written out by hand (not derived from TRANSITIONS) so a change to the table fails here.
ALLOWED: dict[L | None, set[L]] = {
    None: {L.QUEUED, L.PENDING, L.BLOCKED, L.WAITING_FOR_RETRY, L.SKIPPED},
    L.QUEUED: {L.PENDING, L.TERMINATED, L.SKIPPED, L.INTERNAL_ERROR},
    L.BLOCKED: {L.PENDING, L.SKIPPED, L.TERMINATED, L.INTERNAL_ERROR},
    L.WAITING_FOR_RETRY: {L.PENDING, L.TERMINATED, L.INTERNAL_ERROR},
    L.PENDING: {L.RUNNING, L.TERMINATING, L.TERMINATED, L.SKIPPED, L.INTERNAL_ERROR},
    L.RUNNING: {L.TERMINATING, L.TERMINATED, L.INTERNAL_ERROR},
    L.TERMINATING: {L.TERMINATED, L.INTERNAL_ERROR},
    L.TERMINATED: {L.PENDING},
    L.SKIPPED: {L.PENDING},
    L.INTERNAL_ERROR: {L.PENDING},
}

A_RESULT: dict[L, R] = {L.TERMINATED: R.SUCCESS, L.SKIPPED: R.EXCLUDED, L.INTERNAL_ERROR: R.FAILED}


def _result_for(target: L) -> R | None:
    return A_RESULT.get(target)


def test_the_table_is_the_one_written_here() -> None:
    assert {state: set(targets) for state, targets in TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize(
    ("current", "target"),
    [(current, target) for current, targets in ALLOWED.items() for target in sorted(targets)],
)
def test_every_allowed_move_of_a_job_run(current: L | None, target: L) -> None:
    check_transition(current, target, _result_for(target), is_task_run=False)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (current, target)
        for current, targets in ALLOWED.items()
        if current not in TERMINAL_LIFE_CYCLE
        for target in sorted(targets)
    ],
)
def test_every_allowed_move_of_a_task_run(current: L | None, target: L) -> None:
    check_transition(current, target, _result_for(target), is_task_run=True)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (L.RUNNING, L.PENDING),
        (L.RUNNING, L.BLOCKED),
        (L.TERMINATING, L.RUNNING),
        (L.BLOCKED, L.RUNNING),
        (L.WAITING_FOR_RETRY, L.RUNNING),
        (L.QUEUED, L.RUNNING),
        (None, L.RUNNING),
        (None, L.TERMINATED),
        (L.TERMINATED, L.RUNNING),
    ],
)
def test_moves_the_table_refuses(current: L | None, target: L) -> None:
    with pytest.raises(IllegalTransitionError, match="cannot move"):
        check_transition(current, target, _result_for(target), is_task_run=False)


@pytest.mark.parametrize("terminal", sorted(TERMINAL_LIFE_CYCLE))
def test_task_runs_never_leave_a_terminal_state(terminal: L) -> None:
    check_transition(terminal, L.PENDING, is_task_run=False)  # a job run: repaired
    with pytest.raises(IllegalTransitionError, match="task run cannot move"):
        check_transition(terminal, L.PENDING, is_task_run=True)


@pytest.mark.parametrize(
    ("target", "result"),
    [
        (L.TERMINATED, None),
        (L.TERMINATED, R.EXCLUDED),
        (L.SKIPPED, R.SUCCESS),
        (L.INTERNAL_ERROR, R.CANCELED),
    ],
)
def test_a_terminal_state_needs_a_result_that_fits(target: L, result: R | None) -> None:
    with pytest.raises(IllegalTransitionError, match="cannot carry result"):
        check_transition(L.PENDING, target, result, is_task_run=True)


def test_a_non_terminal_state_carries_no_result() -> None:
    with pytest.raises(IllegalTransitionError, match="is not terminal"):
        check_transition(L.PENDING, L.RUNNING, R.SUCCESS, is_task_run=True)
