from __future__ import annotations

import json
from typing import Any

import pytest

from brickyard.errors import InvalidInputError
from brickyard.params import (
    JobParameterValue,
    ReferenceResolutionError,
    ResolutionContext,
    RunOverrides,
    resolve_job_parameters,
    resolve_task_parameters,
)
from brickyard.spec import JobParameterDefinition, PipelineParams, Task

JOB_PARAMS = {"env": "prod", "date": "2026-11-21"}
NO_OVERRIDES = RunOverrides()


def task(**fields: Any) -> Task:
    return Task.model_validate({"task_key": "t", **fields})


# --- RunOverrides ------------------------------------------------------------------------


def test_overrides_from_request_lenient_types() -> None:
    overrides = RunOverrides.from_request(
        {
            "job_id": 12,
            "job_parameters": {"n": 5, "flag": True},
            "notebook_params": {"a": "b"},
            "python_params": ["x", 2],
            "python_named_params": {"k": 1.5},
            "spark_submit_params": ["--x"],
            "sql_params": {"s": "1"},
            "dbt_commands": ["dbt run"],
            "pipeline_params": {"full_refresh": "true"},
            "idempotency_token": "ignored",
        }
    )
    assert overrides.job_parameters == {"n": "5", "flag": "true"}
    assert overrides.python_params == ("x", "2")
    assert overrides.python_named_params == {"k": "1.5"}
    assert overrides.pipeline_params == PipelineParams(full_refresh=True)
    assert overrides.to_api() == {
        "notebook_params": {"a": "b"},
        "python_params": ["x", "2"],
        "python_named_params": {"k": "1.5"},
        "spark_submit_params": ["--x"],
        "sql_params": {"s": "1"},
        "dbt_commands": ["dbt run"],
        "pipeline_params": {"full_refresh": True},
    }
    assert not overrides.is_empty


def test_empty_and_null_overrides() -> None:
    overrides = RunOverrides.from_request({"job_id": 1, "notebook_params": None})
    assert overrides == RunOverrides()
    assert overrides.is_empty
    assert overrides.to_api() == {}
    assert not RunOverrides.from_request({"job_parameters": {}}).is_empty


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"notebook_params": ["a"]}, "notebook_params must be an object of strings"),
        ({"job_parameters": "x"}, "job_parameters must be an object of strings"),
        ({"job_parameters": {"a": [1]}}, "job_parameters: expected a string"),
        ({"python_params": "x"}, "python_params must be a list of strings"),
        ({"jar_params": [{"a": 1}]}, "jar_params: expected a string"),
        ({"pipeline_params": "yes"}, "pipeline_params must be an object"),
        ({"pipeline_params": {"full_refresh": "maybe"}}, "pipeline_params.full_refresh"),
        ({"jar_params": [], "notebook_params": {}}, "jar_params and notebook_params cannot both"),
        ({"python_params": ["é"]}, "python_params may contain only ASCII characters"),
        ({"spark_submit_params": ["ü"]}, "spark_submit_params may contain only ASCII"),
        ({"notebook_params": {"k": "x" * 10_000}}, "notebook_params is 10008 bytes as JSON"),
    ],
)
def test_invalid_overrides(raw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        RunOverrides.from_request(raw)
    assert fragment in str(info.value)


def test_legacy_size_limit_edge() -> None:
    # ["..."] is the value plus 4 bytes of JSON.
    assert RunOverrides.from_request({"python_params": ["x" * 9_996]}).python_params is not None
    with pytest.raises(InvalidInputError, match="python_params is 10001 bytes"):
        RunOverrides.from_request({"python_params": ["x" * 9_997]})


def test_non_ascii_is_fine_in_notebook_params() -> None:
    overrides = RunOverrides.from_request({"notebook_params": {"ville": "Zürich"}})
    assert overrides.notebook_params == {"ville": "Zürich"}


# --- job parameters ----------------------------------------------------------------------


DEFINITIONS = [
    JobParameterDefinition(name="env", default="dev"),
    JobParameterDefinition(name="run_date", default="{{job.start_time.iso_date}}"),
    JobParameterDefinition(name="label", default="job-{{job.id}}"),
]


def test_job_parameter_defaults_are_resolved(run_ctx: ResolutionContext) -> None:
    values = resolve_job_parameters(DEFINITIONS, None, run_ctx)
    assert values == [
        JobParameterValue("env", "dev", "dev"),
        JobParameterValue("run_date", "{{job.start_time.iso_date}}", "2026-11-21"),
        JobParameterValue("label", "job-{{job.id}}", "job-12"),
    ]
    assert values[1].to_api() == {
        "name": "run_date",
        "default": "{{job.start_time.iso_date}}",
        "value": "2026-11-21",
    }


def test_job_parameter_overrides_win(run_ctx: ResolutionContext) -> None:
    values = resolve_job_parameters(
        DEFINITIONS, {"env": "prod", "run_date": "{{job.trigger.time.iso_date}}"}, run_ctx
    )
    assert [v.value for v in values] == ["prod", "2026-11-20", "job-12"]
    assert [v.default for v in values] == ["dev", "{{job.start_time.iso_date}}", "job-{{job.id}}"]


def test_undefined_job_parameter_override(run_ctx: ResolutionContext) -> None:
    with pytest.raises(InvalidInputError) as info:
        resolve_job_parameters(DEFINITIONS, {"evn": "prod"}, run_ctx)
    assert str(info.value) == (
        "job_parameters: 'evn' is not a parameter of this job (defined: env, run_date, label)"
    )
    with pytest.raises(InvalidInputError, match="the job defines no parameters"):
        resolve_job_parameters([], {"x": "1"}, run_ctx)


def test_no_definitions_no_values(run_ctx: ResolutionContext) -> None:
    assert resolve_job_parameters([], None, run_ctx) == []
    assert resolve_job_parameters([], {}, run_ctx) == []


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
