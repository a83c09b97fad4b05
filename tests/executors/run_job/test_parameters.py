"""The run job parameter rule (``brickyard.executors.run_job``)."""

from __future__ import annotations

from brickyard.executors.run_job import run_job_parameters
from brickyard.params import ResolutionContext, RunOverrides
from brickyard.spec import PipelineParams
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(run_job_parameters)


def test_run_job_task(ctx: ResolutionContext) -> None:
    child = task(
        run_job_task={
            "job_id": "7",
            "job_parameters": {"env": "child", "parent": "{{job.run_id}}"},
            "python_params": ["{{task.name}}"],
            "notebook_params": {"n": "{{job.id}}"},
            "pipeline_params": {"full_refresh": True},
        }
    )
    resolved = resolve(child, JOB_PARAMS, NO_OVERRIDES, ctx)
    expected = {"env": "prod", "parent": "100", "date": "2026-11-21"}
    assert resolved.named_parameters == expected
    assert resolved.run_job_overrides == RunOverrides(
        job_parameters=expected,
        notebook_params={"n": "12"},
        python_params=("load",),
        pipeline_params=PipelineParams(full_refresh=True),
    )
    assert resolved.resolved_values == {"run_job_task": {"job_parameters": expected}}
