"""The Python wheel parameter rule: positional ``parameters`` (replaced by run-now
``python_params``), else ``named_parameters`` merged with ``python_named_params`` and the job
parameters pushed down (a wheel without positional parameters takes key-value ones)."""

from __future__ import annotations

from typing import Any

from brickyard.params import ParameterInputs, ResolvedTaskParameters, pick_list
from brickyard.spec import TaskType


def python_wheel_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The positional or named parameters of a wheel task."""
    wheel = inputs.task.python_wheel_task
    assert wheel is not None
    overrides = inputs.overrides
    argv = inputs.each(pick_list(overrides.python_params, wheel.parameters))
    named = inputs.each_value(
        {**(wheel.named_parameters or {}), **(overrides.python_named_params or {})}
    )
    if not argv:
        named.update(inputs.job_parameters)
    shown: dict[str, Any] = {}
    if argv:
        shown["parameters"] = list(argv)
    if named:
        shown["named_parameters"] = named
    return ResolvedTaskParameters(
        argv=argv,
        named_parameters=named,
        resolved_values={TaskType.PYTHON_WHEEL.value: shown},
    )
