"""The sql parameter rule (``brickyard.executors.sql``)."""

from __future__ import annotations

from brickyard.executors.sql import sql_parameters
from brickyard.params import ResolutionContext, RunOverrides
from support.parameter_rules import JOB_PARAMS, resolver, task

resolve = resolver(sql_parameters)


def test_sql_parameters_precedence(ctx: ResolutionContext) -> None:
    sql = task(
        sql_task={
            "warehouse_id": "w",
            "query": {"query_id": "q"},
            "parameters": {"env": "task", "a": "{{tasks.ingest.values.n}}", "b": "task"},
        }
    )
    overrides = RunOverrides(sql_params={"b": "run-now"})
    resolved = resolve(sql, JOB_PARAMS, overrides, ctx)
    assert resolved.named_parameters == {
        "env": "prod",
        "a": "5",
        "b": "run-now",
        "date": "2026-11-21",
    }
    assert resolved.resolved_values == {"sql_task": {"parameters": resolved.named_parameters}}
