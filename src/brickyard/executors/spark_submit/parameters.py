"""The spark-submit parameter rule: ``parameters`` (replaced by run-now
``spark_submit_params``) are spark-submit's own arguments, references resolved."""

from __future__ import annotations

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
