"""The Python script parameter rule: ``parameters``, replaced by run-now ``python_params``;
positional, so no job-parameter pushdown."""

from __future__ import annotations

from brickyard.params import (
    ParameterInputs,
    ResolvedTaskParameters,
    pick_list,
    positional_parameters,
)
from brickyard.spec import TaskType


def python_script_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The ``sys.argv[1:]`` of a Python script task."""
    python_task = inputs.task.spark_python_task
    assert python_task is not None
    argv = inputs.each(pick_list(inputs.overrides.python_params, python_task.parameters))
    return positional_parameters(TaskType.SPARK_PYTHON, argv)
