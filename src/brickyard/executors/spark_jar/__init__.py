"""``spark_jar_task``: not run yet; ``parameters`` (replaced by run-now ``jar_params``) are
resolved as positional arguments."""

from __future__ import annotations

from brickyard.executors.definition import TaskTypeDefinition
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


DEFINITION = TaskTypeDefinition(task_type=TaskType.SPARK_JAR, parameters=spark_jar_parameters)

__all__ = ["DEFINITION", "spark_jar_parameters"]
