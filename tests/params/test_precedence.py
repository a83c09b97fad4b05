from __future__ import annotations

from typing import Any

import pytest

from brickyard.errors import InvalidInputError
from brickyard.params import (
    JobParameterValue,
    ResolutionContext,
    RunOverrides,
    resolve_job_parameters,
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
