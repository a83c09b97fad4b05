"""The python wheel parameter rule (``brickyard.executors.python_wheel``)."""

from __future__ import annotations

from brickyard.executors.python_wheel import python_wheel_parameters
from brickyard.params import ResolutionContext, RunOverrides
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(python_wheel_parameters)


def test_wheel_named_parameters_precedence(ctx: ResolutionContext) -> None:
    wheel = task(
        python_wheel_task={
            "package_name": "p",
            "entry_point": "m",
            "named_parameters": {"env": "task", "x": "{{job.id}}", "y": "task"},
        }
    )
    overrides = RunOverrides(python_named_params={"y": "run-now", "z": "z"})
    resolved = resolve(wheel, JOB_PARAMS, overrides, ctx)
    assert resolved.named_parameters == {
        "env": "prod",
        "x": "12",
        "y": "run-now",
        "z": "z",
        "date": "2026-11-21",
    }
    assert resolved.argv == ()
    assert resolved.resolved_values == {
        "python_wheel_task": {"named_parameters": resolved.named_parameters}
    }


def test_wheel_without_parameters_gets_pushdown(ctx: ResolutionContext) -> None:
    wheel = task(python_wheel_task={"package_name": "p", "entry_point": "m"})
    resolved = resolve(wheel, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.named_parameters == JOB_PARAMS
    no_params = resolve(wheel, {}, NO_OVERRIDES, ctx)
    assert no_params.resolved_values == {"python_wheel_task": {}}
