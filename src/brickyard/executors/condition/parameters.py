"""The condition parameter rule: both operands resolved (no overrides, no pushdown)."""

from __future__ import annotations

from brickyard.params import ParameterInputs, ResolvedTaskParameters
from brickyard.spec import TaskType


def condition_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The two operands of a condition task."""
    condition = inputs.task.condition_task
    assert condition is not None
    left, right = inputs.resolve(condition.left), inputs.resolve(condition.right)
    return ResolvedTaskParameters(
        condition=(left, right),
        resolved_values={TaskType.CONDITION.value: {"left": left, "right": right}},
    )
