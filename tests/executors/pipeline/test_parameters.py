"""The pipeline parameter rule (``brickyard.executors.pipeline``)."""

from __future__ import annotations

from brickyard.executors.pipeline import pipeline_parameters
from brickyard.params import ResolutionContext
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(pipeline_parameters)


def test_pipeline_parameters_have_no_pushdown(ctx: ResolutionContext) -> None:
    pipe = task(pipeline_task={"pipeline_id": "p", "parameters": {"k": "{{job.id}}"}})
    resolved = resolve(pipe, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.named_parameters == {"k": "12"}
    assert resolved.resolved_values == {"pipeline_task": {"parameters": {"k": "12"}}}
