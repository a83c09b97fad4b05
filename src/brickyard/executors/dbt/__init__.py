"""``dbt_task``: not run yet; ``commands``, replaced by run-now ``dbt_commands``."""

from __future__ import annotations

from brickyard.executors.definition import TaskTypeDefinition
from brickyard.params import ParameterInputs, ResolvedTaskParameters, pick_list
from brickyard.spec import TaskType


def dbt_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The dbt commands."""
    dbt = inputs.task.dbt_task
    assert dbt is not None
    commands = inputs.each(pick_list(inputs.overrides.dbt_commands, dbt.commands))
    return ResolvedTaskParameters(
        commands=commands, resolved_values={TaskType.DBT.value: {"commands": list(commands)}}
    )


DEFINITION = TaskTypeDefinition(task_type=TaskType.DBT, parameters=dbt_parameters)

__all__ = ["DEFINITION", "dbt_parameters"]
