"""``condition_task``: two resolved operands compared by the engine, inline (no process)."""

from __future__ import annotations

from brickyard.executors.condition.evaluation import (
    ConditionEvaluationError,
    condition_outcome,
    evaluate_condition,
)
from brickyard.executors.condition.parameters import condition_parameters
from brickyard.executors.definition import TaskTypeDefinition
from brickyard.spec import TaskType

DEFINITION = TaskTypeDefinition(
    task_type=TaskType.CONDITION,
    parameters=condition_parameters,
    evaluated_by_engine=True,
)

__all__ = [
    "DEFINITION",
    "ConditionEvaluationError",
    "condition_outcome",
    "condition_parameters",
    "evaluate_condition",
]
