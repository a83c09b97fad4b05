"""The notebook parameter rule: ``base_parameters`` merged with run-now ``notebook_params``
(run-now wins), then the job parameters pushed down (they win); all become widgets."""

from __future__ import annotations

from brickyard.params import ParameterInputs, ResolvedTaskParameters
from brickyard.spec import TaskType


def notebook_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The widgets of a notebook task."""
    notebook_task = inputs.task.notebook_task
    assert notebook_task is not None
    merged = {**(notebook_task.base_parameters or {}), **(inputs.overrides.notebook_params or {})}
    widgets = {**inputs.each_value(merged), **inputs.job_parameters}
    return ResolvedTaskParameters(
        widgets=widgets,
        resolved_values={TaskType.NOTEBOOK.value: {"base_parameters": widgets}},
    )
