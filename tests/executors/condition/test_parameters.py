"""The condition parameter rule (``brickyard.executors.condition``)."""

from __future__ import annotations

from brickyard.executors.condition import condition_parameters
from brickyard.params import ResolutionContext
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(condition_parameters)


def test_condition_operands(ctx: ResolutionContext) -> None:
    cond = task(
        condition_task={
            "op": "EQUAL_TO",
            "left": "{{tasks.ingest.values.ok}}",
            "right": "{{tasks.ingest.values.obj}}",
        }
    )
    resolved = resolve(cond, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.condition == ("true", '{"k":[1,2],"é":"ü"}')
    assert resolved.resolved_values == {
        "condition_task": {"left": "true", "right": '{"k":[1,2],"é":"ü"}'}
    }
