"""The dbt parameter rule (``brickyard.executors.dbt``)."""

from __future__ import annotations

from brickyard.executors.dbt import dbt_parameters
from brickyard.params import ResolutionContext, RunOverrides
from support.parameter_rules import JOB_PARAMS, NO_OVERRIDES, resolver, task

resolve = resolver(dbt_parameters)


def test_dbt_commands(ctx: ResolutionContext) -> None:
    dbt = task(dbt_task={"commands": ["dbt deps", "dbt run --vars '{d: {{job.start_date}}}'"]})
    resolved = resolve(dbt, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.commands == ("dbt deps", "dbt run --vars '{d: 2026-11-21}'")
    assert resolved.resolved_values == {"dbt_task": {"commands": list(resolved.commands)}}
    replaced = resolve(dbt, {}, RunOverrides(dbt_commands=("dbt test",)), ctx)
    assert replaced.commands == ("dbt test",)
