"""The column values of one life-cycle transition, shared by runs and task runs."""

from __future__ import annotations

from typing import Any, Final

from brickyard.states import (
    TERMINAL_LIFE_CYCLE,
    LifeCycleState,
    ResultState,
    check_transition,
    default_termination,
)
from brickyard.storage._columns import plain

STATE_COLUMNS: Final = frozenset(
    {
        "life_cycle_state",
        "result_state",
        "state_message",
        "termination_code",
        "termination_type",
        "user_cancelled_or_timedout",
        "end_time",
    }
)
"""Columns only a transition sets (``state_message`` may also change through update_*)."""

_CANCEL_RESULTS: Final = frozenset({ResultState.CANCELED, ResultState.TIMEDOUT})


def transition_values(
    current: LifeCycleState | None,
    target: LifeCycleState,
    result: ResultState | None,
    *,
    is_task_run: bool,
    now_ms: int,
    message: str | None,
    termination_code: str | None,
    termination_type: str | None,
    user_cancelled_or_timedout: bool | None,
) -> dict[str, Any]:
    """Check ``current -> target`` against the transition table and return the columns to set.

    Entering a terminal state sets ``end_time`` and fills in the termination code/type from
    :func:`brickyard.states.default_termination` when not given; ``user_cancelled_or_timedout``
    defaults to whether the result is CANCELED or TIMEDOUT. Leaving a terminal state (a job run
    being repaired) resets ``end_time`` to 0 and clears the result and termination. A ``message``
    of None keeps the current ``state_message``.
    """
    check_transition(current, target, result, is_task_run=is_task_run)
    values: dict[str, Any] = {
        "life_cycle_state": target.value,
        "result_state": None if result is None else result.value,
        "termination_code": plain(termination_code),
        "termination_type": plain(termination_type),
    }
    if message is not None:
        values["state_message"] = message
    if target in TERMINAL_LIFE_CYCLE:
        assert result is not None  # check_transition demands a result for a terminal state
        default_code, default_type = default_termination(target, result)
        if termination_code is None:
            values["termination_code"] = default_code.value
        if termination_type is None:
            values["termination_type"] = default_type.value
        values["end_time"] = now_ms
        if user_cancelled_or_timedout is None:
            user_cancelled_or_timedout = result in _CANCEL_RESULTS
    elif current in TERMINAL_LIFE_CYCLE:
        values["end_time"] = 0
        if user_cancelled_or_timedout is None:
            user_cancelled_or_timedout = False
    if user_cancelled_or_timedout is not None:
        values["user_cancelled_or_timedout"] = user_cancelled_or_timedout
    return values
