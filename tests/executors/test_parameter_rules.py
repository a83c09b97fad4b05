"""Each task type's parameter rule, through the table's one dispatch
(:func:`brickyard.executors.registry.resolve_task_parameters`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from brickyard.executors.registry import resolve_task_parameters
from brickyard.params import ReferenceResolutionError, ResolutionContext, RunOverrides
from brickyard.spec import PipelineParams, Task
from support.contexts import make_run_context, make_task_context

JOB_PARAMS = {"env": "prod", "date": "2026-11-21"}
NO_OVERRIDES = RunOverrides()


@pytest.fixture
def ctx() -> ResolutionContext:
    """A task-level context of task ``load`` with upstream task ``ingest``."""
    return make_task_context(make_run_context())


def task(**fields: Any) -> Task:
    return Task.model_validate({"task_key": "t", **fields})


# --- notebook ----------------------------------------------------------------------------


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
    resolved = resolve_task_parameters(nb, JOB_PARAMS, overrides, ctx)
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
    resolved = resolve_task_parameters(nb, {"raw": "{{job.id}}"}, NO_OVERRIDES, ctx)
    assert resolved.widgets == {"raw": "{{job.id}}"}


# --- positional tasks --------------------------------------------------------------------


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


def test_empty_override_list_replaces_too(ctx: ResolutionContext) -> None:
    script = task(spark_python_task={"python_file": "s.py", "parameters": ["a"]})
    resolved = resolve_task_parameters(script, {}, RunOverrides(python_params=()), ctx)
    assert resolved.argv == ()


def test_overrides_for_other_types_do_not_apply(ctx: ResolutionContext) -> None:
    script = task(spark_python_task={"python_file": "s.py", "parameters": ["a"]})
    overrides = RunOverrides(
        jar_params=("j",), spark_submit_params=("s",), notebook_params={"n": "1"}
    )
    assert resolve_task_parameters(script, {}, overrides, ctx).argv == ("a",)


# --- wheel named parameters --------------------------------------------------------------


def test_wheel_named_parameters_precedence(ctx: ResolutionContext) -> None:
    wheel = task(
        python_wheel_task={
            "package_name": "p",
            "entry_point": "m",
            "named_parameters": {"env": "task", "x": "{{job.id}}", "y": "task"},
        }
    )
    overrides = RunOverrides(python_named_params={"y": "run-now", "z": "z"})
    resolved = resolve_task_parameters(wheel, JOB_PARAMS, overrides, ctx)
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
    resolved = resolve_task_parameters(wheel, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.named_parameters == JOB_PARAMS
    no_params = resolve_task_parameters(wheel, {}, NO_OVERRIDES, ctx)
    assert no_params.resolved_values == {"python_wheel_task": {}}


# --- SQL, dbt, pipeline, run job, condition, for each -----------------------------------


def test_sql_parameters_precedence(ctx: ResolutionContext) -> None:
    sql = task(
        sql_task={
            "warehouse_id": "w",
            "query": {"query_id": "q"},
            "parameters": {"env": "task", "a": "{{tasks.ingest.values.n}}", "b": "task"},
        }
    )
    overrides = RunOverrides(sql_params={"b": "run-now"})
    resolved = resolve_task_parameters(sql, JOB_PARAMS, overrides, ctx)
    assert resolved.named_parameters == {
        "env": "prod",
        "a": "5",
        "b": "run-now",
        "date": "2026-11-21",
    }
    assert resolved.resolved_values == {"sql_task": {"parameters": resolved.named_parameters}}


def test_dbt_commands(ctx: ResolutionContext) -> None:
    dbt = task(dbt_task={"commands": ["dbt deps", "dbt run --vars '{d: {{job.start_date}}}'"]})
    resolved = resolve_task_parameters(dbt, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.commands == ("dbt deps", "dbt run --vars '{d: 2026-11-21}'")
    assert resolved.resolved_values == {"dbt_task": {"commands": list(resolved.commands)}}
    replaced = resolve_task_parameters(dbt, {}, RunOverrides(dbt_commands=("dbt test",)), ctx)
    assert replaced.commands == ("dbt test",)


def test_pipeline_parameters_have_no_pushdown(ctx: ResolutionContext) -> None:
    pipe = task(pipeline_task={"pipeline_id": "p", "parameters": {"k": "{{job.id}}"}})
    resolved = resolve_task_parameters(pipe, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.named_parameters == {"k": "12"}
    assert resolved.resolved_values == {"pipeline_task": {"parameters": {"k": "12"}}}


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
    resolved = resolve_task_parameters(child, JOB_PARAMS, NO_OVERRIDES, ctx)
    expected = {"env": "prod", "parent": "100", "date": "2026-11-21"}
    assert resolved.named_parameters == expected
    assert resolved.run_job_overrides == RunOverrides(
        job_parameters=expected,
        notebook_params={"n": "12"},
        python_params=("load",),
        pipeline_params=PipelineParams(full_refresh=True),
    )
    assert resolved.resolved_values == {"run_job_task": {"job_parameters": expected}}


def test_condition_operands(ctx: ResolutionContext) -> None:
    cond = task(
        condition_task={
            "op": "EQUAL_TO",
            "left": "{{tasks.ingest.values.ok}}",
            "right": "{{tasks.ingest.values.obj}}",
        }
    )
    resolved = resolve_task_parameters(cond, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.condition == ("true", '{"k":[1,2],"é":"ü"}')
    assert resolved.resolved_values == {
        "condition_task": {"left": "true", "right": '{"k":[1,2],"é":"ü"}'}
    }


def test_for_each_inputs(ctx: ResolutionContext) -> None:
    loop = task(
        for_each_task={
            "inputs": "{{tasks.ingest.values.lst}}",
            "task": {"task_key": "inner", "notebook_task": {"notebook_path": "/x"}},
        }
    )
    resolved = resolve_task_parameters(loop, JOB_PARAMS, NO_OVERRIDES, ctx)
    assert resolved.for_each_inputs == '[1,"a"]'
    assert json.loads(resolved.for_each_inputs) == [1, "a"]
    assert resolved.widgets == {}
    assert resolved.resolved_values == {}


def test_for_each_iteration_of_nested_task(ctx: ResolutionContext) -> None:
    inner = task(notebook_task={"notebook_path": "/x", "base_parameters": {"item": "{{input.k}}"}})
    assert ctx.task is not None
    iteration = ctx.with_task(ctx.task, for_each_input={"k": "v"})
    resolved = resolve_task_parameters(inner, {}, NO_OVERRIDES, iteration)
    assert resolved.widgets == {"item": "v"}


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
