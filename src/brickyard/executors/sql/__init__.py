"""``sql_task``: not run yet; ``parameters`` merged with run-now ``sql_params``, then the job
parameters pushed down (they win)."""

from __future__ import annotations

from brickyard.executors.definition import TaskTypeDefinition
from brickyard.executors.sql.sources import sql_file_sources
from brickyard.params import ParameterInputs, ResolvedTaskParameters
from brickyard.spec import TaskType


def sql_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The ``:name`` parameters of a SQL task."""
    sql = inputs.task.sql_task
    assert sql is not None
    merged = {**(sql.parameters or {}), **(inputs.overrides.sql_params or {})}
    named = {**inputs.each_value(merged), **inputs.job_parameters}
    return ResolvedTaskParameters(
        named_parameters=named, resolved_values={TaskType.SQL.value: {"parameters": named}}
    )


DEFINITION = TaskTypeDefinition(
    task_type=TaskType.SQL, parameters=sql_parameters, sources=sql_file_sources
)

__all__ = ["DEFINITION", "sql_parameters"]
