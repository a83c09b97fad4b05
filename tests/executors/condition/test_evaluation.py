"""The condition task's comparison table (databricks-semantics §1.6)."""

from __future__ import annotations

import pytest

from brickyard.executors.condition import (
    ConditionEvaluationError,
    condition_outcome,
    evaluate_condition,
)
from brickyard.states import ConditionOp

EQ = ConditionOp.EQUAL_TO
NE = ConditionOp.NOT_EQUAL
GT = ConditionOp.GREATER_THAN
GE = ConditionOp.GREATER_THAN_OR_EQUAL
LT = ConditionOp.LESS_THAN
LE = ConditionOp.LESS_THAN_OR_EQUAL


@pytest.mark.parametrize(
    ("op", "left", "right", "expected"),
    [
        (EQ, "12", "12", True),
        (EQ, "12.0", "12", False),  # strings, not numbers
        (EQ, "true", "true", True),
        (EQ, "True", "true", False),
        (EQ, "", "", True),
        (NE, "12.0", "12", True),
        (NE, "a", "a", False),
        (GT, "12.5", "12", True),
        (GT, "12", "12", False),
        (GE, "12.0", "12", True),  # numbers, not strings
        (GE, "9", "10", False),  # "9" > "10" as strings, not as numbers
        (LT, "9", "10", True),
        (LT, "-1", "0", True),
        (LE, "1e3", "1000", True),
        (LE, " 3 ", "3", True),
        (LE, "4", "3", False),
    ],
)
def test_condition_table(op: ConditionOp, left: str, right: str, expected: bool) -> None:
    assert evaluate_condition(op, left, right) is expected
    assert condition_outcome(op, left, right) == ("true" if expected else "false")


@pytest.mark.parametrize(
    ("left", "right", "side"),
    [("abc", "1", "left"), ("1", "", "right"), ("nan", "1", "left"), ("1", "inf", "right")],
)
def test_non_numeric_operand_of_a_numeric_op(left: str, right: str, side: str) -> None:
    with pytest.raises(ConditionEvaluationError, match=f"{side} operand .* is not a number") as e:
        evaluate_condition(GT, left, right)
    assert "GREATER_THAN" in str(e.value)
    assert isinstance(e.value, ValueError)
