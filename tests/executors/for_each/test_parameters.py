"""The for each parameter rule (``brickyard.executors.for_each``)."""

from __future__ import annotations

import json

from brickyard.executors.for_each import for_each_parameters
from brickyard.params import ResolutionContext
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(for_each_parameters)


def test_for_each_inputs(ctx: ResolutionContext) -> None:
    loop = task(
        for_each_task={
            "inputs": "{{tasks.ingest.values.lst}}",
            "task": {"task_key": "inner", "notebook_task": {"notebook_path": "/x"}},
        }
    )
    resolved = resolve(loop, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.for_each_inputs == '[1,"a"]'
    assert json.loads(resolved.for_each_inputs) == [1, "a"]
    assert resolved.widgets == {}
    assert resolved.resolved_values == {}
