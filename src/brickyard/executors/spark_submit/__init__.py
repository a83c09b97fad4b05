"""``spark_submit_task``: not run yet; ``parameters`` (replaced by run-now
``spark_submit_params``) are resolved as positional arguments."""

from __future__ import annotations

from brickyard.executors.definition import TaskTypeDefinition
from brickyard.params import (
    ParameterInputs,
    ResolvedTaskParameters,
    pick_list,
    positional_parameters,
)
from brickyard.spec import TaskType


def spark_submit_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The spark-submit arguments."""
    submit = inputs.task.spark_submit_task
    assert submit is not None
    argv = inputs.each(pick_list(inputs.overrides.spark_submit_params, submit.parameters))
    return positional_parameters(TaskType.SPARK_SUBMIT, argv)


DEFINITION = TaskTypeDefinition(task_type=TaskType.SPARK_SUBMIT, parameters=spark_submit_parameters)

__all__ = ["DEFINITION", "spark_submit_parameters"]
