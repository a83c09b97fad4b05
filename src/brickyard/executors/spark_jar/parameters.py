"""The JAR task parameter rule: ``parameters`` (replaced by run-now ``jar_params``) are the
main class's positional arguments, with dynamic value references resolved."""

from __future__ import annotations

from brickyard.params import (
    ParameterInputs,
    ResolvedTaskParameters,
    pick_list,
    positional_parameters,
)
from brickyard.spec import TaskType


def spark_jar_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The main class's arguments."""
    jar = inputs.task.spark_jar_task
    assert jar is not None
    argv = inputs.each(pick_list(inputs.overrides.jar_params, jar.parameters))
    return positional_parameters(TaskType.SPARK_JAR, argv)
