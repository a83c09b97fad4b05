"""The notebook parameter rule (``brickyard.executors.notebook``)."""

from __future__ import annotations

from brickyard.executors.notebook import notebook_parameters
from brickyard.params import ResolutionContext, RunOverrides
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(notebook_parameters)


def test_notebook_precedence(ctx: ResolutionContext) -> None:
    nb = task(
        notebook_task={
            "notebook_path": "/x",
            "base_parameters": {
                "env": "task-level",
                "keep": "{{task.name}}",
                "over": "task",
            },
        }
    )
    overrides = RunOverrides(notebook_params={"over": "run-now {{job.run_id}}", "new": "n"})
    resolved = resolve(nb, JOB_PARAMS, overrides, ctx)
    assert resolved.widgets == {
        "env": "prod",  # the job parameter wins a name clash
        "keep": "load",
        "over": "run-now 100",  # run-now beats base_parameters
        "new": "n",
        "date": "2026-11-21",  # pushdown
    }
    assert resolved.resolved_values == {"notebook_task": {"base_parameters": resolved.widgets}}
    assert resolved.argv == ()
    assert resolved.named_parameters == {}


def test_job_parameters_are_pushed_down_verbatim(ctx: ResolutionContext) -> None:
    # Job parameter values are already resolved: a value that looks like a reference stays.
    nb = task(notebook_task={"notebook_path": "/x"})
    resolved = resolve(nb, {"raw": "{{job.id}}"}, NO_OVERRIDES, ctx)
    assert resolved.widgets == {"raw": "{{job.id}}"}


def test_for_each_iteration_of_nested_task(ctx: ResolutionContext) -> None:
    inner = task(notebook_task={"notebook_path": "/x", "base_parameters": {"item": "{{input.k}}"}})
    assert ctx.task is not None
    iteration = ctx.with_task(ctx.task, for_each_input={"k": "v"})
    resolved = resolve(inner, {}, NO_OVERRIDES, iteration)
    assert resolved.widgets == {"item": "v"}
