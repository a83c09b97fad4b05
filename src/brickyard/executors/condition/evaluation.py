"""The if/else condition task: compare two resolved operands (no process is started).

``EQUAL_TO`` and ``NOT_EQUAL`` compare the strings as they are (``"12.0" != "12"``); the
ordering operators compare numbers (``"12.0" >= "12"``).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

from brickyard.states import ConditionOp


class ConditionEvaluationError(ValueError):
    """An operand of a numeric comparison is not a number."""


_NUMERIC: dict[ConditionOp, Callable[[float, float], bool]] = {
    ConditionOp.GREATER_THAN: operator.gt,
    ConditionOp.GREATER_THAN_OR_EQUAL: operator.ge,
    ConditionOp.LESS_THAN: operator.lt,
    ConditionOp.LESS_THAN_OR_EQUAL: operator.le,
}


def evaluate_condition(op: ConditionOp, left: str, right: str) -> bool:
    """The outcome of ``left <op> right``; raises :class:`ConditionEvaluationError` when a
    numeric comparison gets an operand that is not a number."""
    if op is ConditionOp.EQUAL_TO:
        return left == right
    if op is ConditionOp.NOT_EQUAL:
        return left != right
    compare = _NUMERIC[op]
    return compare(_number(left, "left", op), _number(right, "right", op))


def condition_outcome(op: ConditionOp, left: str, right: str) -> str:
    """``"true"`` or ``"false"``: the value of ``RunConditionTask.outcome``."""
    return "true" if evaluate_condition(op, left, right) else "false"


def _number(value: str, side: str, op: ConditionOp) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):  # "nan" and "inf" parse as floats but are not numbers here
        raise ConditionEvaluationError(
            f"condition_task {side} operand {value!r} is not a number, "
            f"which {op.value} needs (use EQUAL_TO or NOT_EQUAL to compare strings)"
        )
    return number
