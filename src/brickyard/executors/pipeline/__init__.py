"""``pipeline_task``: not run yet; its pipeline ``parameters`` resolved (no pushdown)."""

from __future__ import annotations

from brickyard.executors.definition import TaskTypeDefinition
from brickyard.params import ParameterInputs, ResolvedTaskParameters
from brickyard.spec import TaskType


def pipeline_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The pipeline parameters."""
    pipeline = inputs.task.pipeline_task
    assert pipeline is not None
    named = inputs.each_value(pipeline.parameters or {})
    return ResolvedTaskParameters(
        named_parameters=named, resolved_values={TaskType.PIPELINE.value: {"parameters": named}}
    )


DEFINITION = TaskTypeDefinition(task_type=TaskType.PIPELINE, parameters=pipeline_parameters)

__all__ = ["DEFINITION", "pipeline_parameters"]
