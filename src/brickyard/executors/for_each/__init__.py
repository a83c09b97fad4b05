"""``for_each_task``: not run yet; its ``inputs`` resolved (the nested task is resolved per
iteration, not here)."""

from __future__ import annotations

from brickyard.executors.definition import TaskTypeDefinition
from brickyard.params import ParameterInputs, ResolvedTaskParameters
from brickyard.spec import TaskType


def for_each_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The resolved ``inputs`` text."""
    for_each = inputs.task.for_each_task
    assert for_each is not None
    return ResolvedTaskParameters(for_each_inputs=inputs.resolve(for_each.inputs))


DEFINITION = TaskTypeDefinition(task_type=TaskType.FOR_EACH, parameters=for_each_parameters)

__all__ = ["DEFINITION", "for_each_parameters"]
