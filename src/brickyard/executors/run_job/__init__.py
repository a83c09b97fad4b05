"""``run_job_task``: not run yet; the child run's job parameters (``job_parameters`` with this
job's parameters pushed down) and every legacy override to start it with, resolved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from brickyard.executors.definition import TaskTypeDefinition
from brickyard.params import ParameterInputs, ResolvedTaskParameters, RunOverrides
from brickyard.spec import TaskType


def run_job_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The child's job parameters and the overrides of the child run."""
    run_job = inputs.task.run_job_task
    assert run_job is not None

    def each(values: Sequence[str] | None) -> tuple[str, ...] | None:
        return None if values is None else inputs.each(values)

    def each_value(values: Mapping[str, str] | None) -> dict[str, str] | None:
        return None if values is None else inputs.each_value(values)

    child_parameters = {**(each_value(run_job.job_parameters) or {}), **inputs.job_parameters}
    child = RunOverrides(
        job_parameters=child_parameters,
        notebook_params=each_value(run_job.notebook_params),
        python_params=each(run_job.python_params),
        python_named_params=each_value(run_job.python_named_params),
        jar_params=each(run_job.jar_params),
        spark_submit_params=each(run_job.spark_submit_params),
        sql_params=each_value(run_job.sql_params),
        dbt_commands=each(run_job.dbt_commands),
        pipeline_params=run_job.pipeline_params,
    )
    return ResolvedTaskParameters(
        named_parameters=child_parameters,
        run_job_overrides=child,
        resolved_values={TaskType.RUN_JOB.value: {"job_parameters": child_parameters}},
    )


DEFINITION = TaskTypeDefinition(task_type=TaskType.RUN_JOB, parameters=run_job_parameters)

__all__ = ["DEFINITION", "run_job_parameters"]
