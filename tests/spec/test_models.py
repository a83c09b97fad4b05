from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brickyard.spec import (
    ConditionOp,
    GitProvider,
    JobSettings,
    PauseStatus,
    RunIf,
    Task,
    TaskType,
    parse_job_settings,
)

FULL_JOB: dict[str, Any] = {
    "name": "everything",
    "description": "all the fields",
    "tags": {"team": "de"},
    "max_concurrent_runs": 3,
    "timeout_seconds": 600,
    "queue": {"enabled": True},
    "format": "MULTI_TASK",
    "edit_mode": "UI_LOCKED",
    "deployment": {"kind": "BUNDLE", "metadata_file_path": "/x/metadata.json"},
    "parent_path": "/Workspace/jobs",
    "performance_target": "STANDARD",
    "budget_policy_id": "bp",
    "run_as": {"service_principal_name": "app-id"},
    "git_source": {
        "git_url": "https://example.com/r.git",
        "git_provider": "gitHub",
        "git_branch": "main",
        "sparse_checkout": {"patterns": ["src"]},
    },
    "parameters": [{"name": "env", "default": "dev"}, {"name": "run.date", "default": ""}],
    "schedule": {
        "quartz_cron_expression": "0 0 2 * * ?",
        "timezone_id": "Europe/Paris",
        "pause_status": "PAUSED",
    },
    "trigger": {
        "pause_status": "UNPAUSED",
        "file_arrival": {"url": "/Volumes/a/b/c/", "min_time_between_triggers_seconds": 60},
    },
    "health": {"rules": [{"metric": "RUN_DURATION_SECONDS", "op": "GREATER_THAN", "value": 10}]},
    "email_notifications": {"on_failure": ["a@b.c"], "no_alert_for_skipped_runs": False},
    "webhook_notifications": {"on_start": [{"id": "dest"}]},
    "notification_settings": {"no_alert_for_canceled_runs": True},
    "environments": [
        {"environment_key": "py", "spec": {"environment_version": "2", "dependencies": ["x"]}}
    ],
    "environment_variables": [
        {"environment_variables_key": "ev", "spec": {"variables": {"A": "1"}, "files": []}}
    ],
    "job_clusters": [
        {
            "job_cluster_key": "main",
            "new_cluster": {
                "spark_version": "15.4.x-scala2.12",
                "node_type_id": "i3.xlarge",
                "autoscale": {"min_workers": 1, "max_workers": 4},
                "spark_conf": {"spark.x": "1"},
                "spark_env_vars": {"E": "{{job.id}}"},
                "aws_attributes": {"availability": "SPOT"},
                "data_security_mode": "SINGLE_USER",
                "runtime_engine": "PHOTON",
            },
        }
    ],
    "tasks": [
        {
            "task_key": "nb",
            "notebook_task": {
                "notebook_path": "/a",
                "base_parameters": {"d": "{{job.start_date}}"},
                "source": "WORKSPACE",
            },
            "job_cluster_key": "main",
            "libraries": [
                {"pypi": {"package": "x==1", "repo": "https://pypi"}},
                {"whl": "/a.whl"},
                {"jar": "/a.jar"},
                {"maven": {"coordinates": "a:b:1", "exclusions": ["c:d"]}},
                {"egg": "/a.egg"},
                {"requirements": "/r.txt"},
                {"cran": {"package": "dplyr"}},
            ],
            "max_retries": -1,
            "min_retry_interval_millis": 1000,
            "retry_on_timeout": True,
            "timeout_seconds": 0,
            "health": {
                "rules": [{"metric": "RUN_DURATION_SECONDS", "op": "GREATER_THAN", "value": 5}]
            },
            "notification_settings": {"alert_on_last_attempt": True},
        },
        {
            "task_key": "py",
            "depends_on": [{"task_key": "nb"}],
            "run_if": "ALL_DONE",
            "spark_python_task": {"python_file": "s.py", "parameters": ["a"], "source": "GIT"},
            "environment_key": "py",
        },
        {
            "task_key": "whl",
            "depends_on": [{"task_key": "nb"}],
            "python_wheel_task": {
                "package_name": "p",
                "entry_point": "main",
                "named_parameters": {"k": "v"},
            },
            "existing_cluster_id": "c-1",
        },
        {"task_key": "jar", "spark_jar_task": {"main_class_name": "a.B", "parameters": ["x"]}},
        {"task_key": "submit", "spark_submit_task": {"parameters": ["--class", "a.B"]}},
        {
            "task_key": "sqlq",
            "sql_task": {"warehouse_id": "w", "query": {"query_id": "q"}, "parameters": {"a": "b"}},
        },
        {"task_key": "sqlf", "sql_task": {"warehouse_id": "w", "file": {"path": "f.sql"}}},
        {
            "task_key": "sqla",
            "sql_task": {
                "warehouse_id": "w",
                "alert": {"alert_id": "a", "subscriptions": [{"user_name": "u"}]},
            },
        },
        {
            "task_key": "sqld",
            "sql_task": {
                "warehouse_id": "w",
                "dashboard": {"dashboard_id": "d", "custom_subject": "s"},
            },
        },
        {
            "task_key": "dbt",
            "dbt_task": {"commands": ["dbt run"], "schema": "analytics", "catalog": "main"},
        },
        {"task_key": "pipe", "pipeline_task": {"pipeline_id": "p", "full_refresh": True}},
        {
            "task_key": "child",
            "run_job_task": {
                "job_id": 7,
                "job_parameters": {"a": "b"},
                "pipeline_params": {"full_refresh": False},
            },
        },
        {
            "task_key": "cond",
            "condition_task": {"op": "EQUAL_TO", "left": "{{job.id}}", "right": "1"},
        },
        {
            "task_key": "after_cond",
            "depends_on": [{"task_key": "cond", "outcome": "true"}],
            "for_each_task": {
                "inputs": "[1,2]",
                "concurrency": 2,
                "task": {"task_key": "inner", "notebook_task": {"notebook_path": "/i"}},
            },
        },
        {
            "task_key": "room",
            "clean_rooms_notebook_task": {"clean_room_name": "r", "notebook_name": "n"},
        },
        {"task_key": "dash", "dashboard_task": {"dashboard_id": "d", "future": 1}},
    ],
}


def test_job_examples_round_trip(example_raw: dict[str, Any]) -> None:
    settings = parse_job_settings(example_raw)
    assert settings.to_api() == example_raw


def test_every_object_round_trips() -> None:
    settings = parse_job_settings(FULL_JOB)
    assert settings.to_api() == FULL_JOB


def test_parsing_does_not_mutate_the_input() -> None:
    raw = copy.deepcopy(FULL_JOB)
    parse_job_settings(raw)
    assert raw == FULL_JOB


def test_typed_access() -> None:
    settings = parse_job_settings(FULL_JOB)
    assert settings.schedule is not None
    assert settings.schedule.pause_status is PauseStatus.PAUSED
    assert settings.git_source is not None
    assert settings.git_source.git_provider is GitProvider.GIT_HUB
    cond = settings.task("cond").condition_task
    assert cond is not None
    assert cond.op is ConditionOp.EQUAL_TO
    dbt = settings.task("dbt").dbt_task
    assert dbt is not None
    assert dbt.schema_ == "analytics"
    assert settings.task("py").effective_run_if is RunIf.ALL_DONE
    for_each = settings.task("after_cond").for_each_task
    assert for_each is not None
    assert isinstance(for_each.task, Task)
    assert for_each.task.task_type is TaskType.NOTEBOOK
    cluster = settings.job_cluster("main").new_cluster
    assert cluster is not None
    assert cluster.autoscale is not None
    assert cluster.autoscale.max_workers == 4
    assert settings.environment("py").spec is not None


UNKNOWN_EVERYWHERE: dict[str, Any] = {
    "name": "x",
    "brand_new_setting": {"nested": [1, {"a": None}]},
    "schedule": {"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC", "extra": 1},
    "tasks": [
        {
            "task_key": "t",
            "quantum_task": {"qubits": 4},
            "new_knob": True,
            "depends_on": [],
        },
        {
            "task_key": "n",
            "notebook_task": {"notebook_path": "/x", "widgets_v2": {"a": "b"}},
            "new_cluster": {"spark_version": "x", "docker_image": {"url": "img"}},
        },
    ],
}


def test_unknown_fields_and_task_types_round_trip() -> None:
    settings = parse_job_settings(UNKNOWN_EVERYWHERE)
    assert settings.to_api() == UNKNOWN_EVERYWHERE
    # An unknown *_task field has no TaskType; the field name is still known for messages.
    assert settings.task("t").task_type is None
    assert settings.task("t").task_type_fields == ("quantum_task",)
    assert settings.task("t").to_api() == UNKNOWN_EVERYWHERE["tasks"][0]


def test_lenient_input_as_airflow_sends_it() -> None:
    raw = {
        "name": "af",
        "max_concurrent_runs": "2",
        "timeout_seconds": "3600",
        "queue": {"enabled": "True"},
        "tasks": [
            {
                "task_key": "t",
                "notebook_task": {"notebook_path": "/x", "base_parameters": {"n": 5, "b": True}},
                "new_cluster": {"num_workers": "2", "spark_version": "x"},
                "max_retries": "1",
                "retry_on_timeout": "false",
                "disabled": 0,
            }
        ],
    }
    settings = parse_job_settings(raw)
    api = settings.to_api()
    assert api["max_concurrent_runs"] == 2
    assert api["timeout_seconds"] == 3600
    assert api["queue"] == {"enabled": True}
    task = api["tasks"][0]
    assert task["new_cluster"]["num_workers"] == 2
    assert task["max_retries"] == 1
    assert task["retry_on_timeout"] is False
    assert task["disabled"] is False
    assert task["notebook_task"]["base_parameters"] == {"n": "5", "b": "true"}


def test_git_provider_is_case_insensitive() -> None:
    settings = parse_job_settings(
        {"name": "g", "git_source": {"git_url": "u", "git_provider": "GITHUB"}}
    )
    assert settings.git_source is not None
    assert settings.git_source.git_provider is GitProvider.GIT_HUB
    assert settings.to_api()["git_source"]["git_provider"] == "gitHub"


def test_job_convenience_defaults() -> None:
    settings = JobSettings.model_validate({})
    assert settings.effective_max_concurrent_runs == 1
    assert settings.queue_enabled is False
    assert settings.task_keys == ()
    assert settings.task_list == []
    with pytest.raises(KeyError):
        settings.task("missing")
    with pytest.raises(KeyError):
        settings.job_cluster("missing")
    with pytest.raises(KeyError):
        settings.environment("missing")


def test_job_convenience_values() -> None:
    settings = JobSettings.model_validate(
        {"max_concurrent_runs": 0, "queue": {"enabled": False}, "tasks": [{"task_key": "a"}]}
    )
    assert settings.effective_max_concurrent_runs == 0
    assert settings.queue_enabled is False
    assert JobSettings.model_validate({"queue": {"enabled": "1"}}).queue_enabled is True
    assert settings.task_keys == ("a",)


def test_task_convenience() -> None:
    task = Task.model_validate(
        {
            "task_key": "t",
            "depends_on": [{"task_key": "a"}, {"task_key": "b", "outcome": "false"}],
            "condition_task": {"op": "GREATER_THAN", "left": "1", "right": 2},
        }
    )
    assert task.task_type is TaskType.CONDITION
    assert task.is_condition
    assert task.dependency_keys == ("a", "b")
    assert task.effective_run_if is RunIf.ALL_SUCCESS
    assert not task.is_disabled
    plain = Task.model_validate({"task_key": "p", "disabled": "true"})
    assert plain.task_type is None
    assert plain.task_type_fields == ()
    assert not plain.is_condition
    assert plain.dependency_keys == ()
    assert plain.is_disabled


def test_task_types_lists_known_then_unknown() -> None:
    task = Task.model_validate(
        {"task_key": "t", "x_task": {}, "sql_task": {"warehouse_id": "w"}, "y_task": None}
    )
    assert task.task_type_fields == ("sql_task", "x_task")
    assert task.task_type is TaskType.SQL


_keys = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)
_texts = st.text(max_size=20).filter(lambda s: "{{" not in s)
_params = st.dictionaries(_keys, _texts, max_size=4)


@st.composite
def _jobs(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(_keys, min_size=1, max_size=6, unique=True))
    tasks: list[dict[str, Any]] = []
    for index, key in enumerate(keys):
        task: dict[str, Any] = {
            "task_key": key,
            "notebook_task": {"notebook_path": "/x", "base_parameters": draw(_params)},
        }
        earlier = keys[:index]
        if earlier:
            deps = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3))
            if deps:
                task["depends_on"] = [{"task_key": dep} for dep in deps]
        if draw(st.booleans()):
            task["run_if"] = draw(st.sampled_from([r.value for r in RunIf]))
        if draw(st.booleans()):
            task["max_retries"] = draw(st.integers(min_value=-1, max_value=10))
        if draw(st.booleans()):
            task[draw(st.sampled_from(["x_extra", "future"]))] = draw(_params)
        tasks.append(task)
    job: dict[str, Any] = {"name": draw(_texts), "tasks": tasks}
    if draw(st.booleans()):
        job["max_concurrent_runs"] = draw(st.integers(min_value=0, max_value=1000))
    if draw(st.booleans()):
        job["tags"] = draw(st.dictionaries(_keys, _texts, max_size=25))
    return job


@settings(max_examples=60, deadline=None)
@given(_jobs())
def test_generated_jobs_round_trip(raw: dict[str, Any]) -> None:
    assert parse_job_settings(raw).to_api() == raw
