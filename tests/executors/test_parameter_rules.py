"""The table's one dispatch to the parameter rules
(:func:`brickyard.executors.registry.resolve_task_parameters`), across task types; each
type's own rule is tested in ``tests/executors/<type>/test_parameters.py``."""

from __future__ import annotations

from typing import Any

import pytest

from brickyard.executors.registry import resolve_task_parameters
from brickyard.params import ReferenceResolutionError, ResolutionContext, RunOverrides
from brickyard.spec import Task

JOB_PARAMS = {"env": "prod", "date": "2026-11-21"}
NO_OVERRIDES = RunOverrides()


def task(**fields: Any) -> Task:
    return Task.model_validate({"task_key": "t", **fields})


@pytest.mark.parametrize(
    ("fields", "override_field", "task_type"),
    [
        (
            {
                "spark_python_task": {
                    "python_file": "s.py",
                    "parameters": ["--d", "{{job.start_date}}"],
                }
            },
            "python_params",
            "spark_python_task",
        ),
        (
            {
                "spark_jar_task": {
                    "main_class_name": "a.B",
                    "parameters": ["--d", "{{job.start_date}}"],
                }
            },
            "jar_params",
            "spark_jar_task",
        ),
        (
            {"spark_submit_task": {"parameters": ["--d", "{{job.start_date}}"]}},
            "spark_submit_params",
            "spark_submit_task",
        ),
        (
            {
                "python_wheel_task": {
                    "package_name": "p",
                    "entry_point": "m",
                    "parameters": ["--d", "{{job.start_date}}"],
                }
            },
            "python_params",
            "python_wheel_task",
        ),
    ],
)
def test_positional_parameters(
    ctx: ResolutionContext, fields: dict[str, Any], override_field: str, task_type: str
) -> None:
    positional = task(**fields)
    resolved = resolve_task_parameters(positional, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.argv == ("--d", "2026-11-21")
    # Positional tasks get no pushdown.
    assert resolved.named_parameters == {}
    assert resolved.widgets == {}
    assert resolved.resolved_values == {task_type: {"parameters": ["--d", "2026-11-21"]}}
    replaced = resolve_task_parameters(
        positional, JOB_PARAMS, RunOverrides.from_request({override_field: ["{{task.name}}"]}), ctx
    )
    assert replaced.argv == ("load",)


def test_unknown_task_type_resolves_to_nothing(ctx: ResolutionContext) -> None:
    resolved = resolve_task_parameters(task(quantum_task={"q": 1}), JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.widgets == {}
    assert resolved.argv == ()
    assert resolved.resolved_values == {}


def test_missing_task_value_raises(ctx: ResolutionContext) -> None:
    nb = task(
        notebook_task={
            "notebook_path": "/x",
            "base_parameters": {"a": "{{tasks.ingest.values.zz}}"},
        }
    )
    with pytest.raises(ReferenceResolutionError, match="did not set a value 'zz'"):
        resolve_task_parameters(nb, {}, NO_OVERRIDES, ctx)
