from __future__ import annotations

from typing import Any

import pytest

from brickyard.errors import JobValidationError, Problem
from brickyard.spec import TaskType, check_job, parse_job_settings
from brickyard.spec.validation import format_path


def notebook(key: str, **extra: Any) -> dict[str, Any]:
    """A minimal valid notebook task."""
    return {"task_key": key, "notebook_task": {"notebook_path": f"/nb/{key}"}, **extra}


def job(*tasks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A minimal job with the given tasks."""
    return {"name": "test job", "tasks": list(tasks), **extra}


def problems_of(raw: Any) -> list[Problem]:
    with pytest.raises(JobValidationError) as info:
        parse_job_settings(raw)
    return info.value.problems


def only_problem(raw: Any) -> Problem:
    problems = problems_of(raw)
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_job_passes() -> None:
    settings = parse_job_settings(job(notebook("a"), notebook("b", depends_on=[{"task_key": "a"}])))
    assert settings.task_keys == ("a", "b")


def test_a_job_without_tasks_is_valid() -> None:
    assert parse_job_settings({"name": "empty"}).tasks is None


def test_top_level_must_be_an_object() -> None:
    assert only_problem([1, 2]).message == "job settings must be a JSON object"


def test_source_prefixes_the_message() -> None:
    with pytest.raises(JobValidationError) as info:
        parse_job_settings(job(notebook("a"), notebook("a")), source="jobs/etl.json")
    assert info.value.source == "jobs/etl.json"
    assert str(info.value).startswith("jobs/etl.json: tasks[1].task_key: duplicate task_key")


# --- task keys ---------------------------------------------------------------------------


def test_task_key_is_required() -> None:
    problem = only_problem(job({"notebook_task": {"notebook_path": "/x"}}))
    assert problem == Problem("tasks[0].task_key", "required field is missing")


@pytest.mark.parametrize("bad", ["", "a b", "a.b", "x" * 101, "ключ"])
def test_task_key_characters_and_length(bad: str) -> None:
    problem = only_problem(job(notebook(bad)))
    assert problem.path == "tasks[0].task_key"
    assert "1-100 characters of letters, digits, '_' and '-'" in problem.message


@pytest.mark.parametrize("good", ["a", "A-b_9", "x" * 100])
def test_task_key_accepted(good: str) -> None:
    assert parse_job_settings(job(notebook(good))).task_keys == (good,)


def test_duplicate_task_keys() -> None:
    problem = only_problem(job(notebook("a"), notebook("b"), notebook("a")))
    assert problem == Problem("tasks[2].task_key", "duplicate task_key 'a' (also tasks[0])")


# --- dependencies ------------------------------------------------------------------------


def test_unknown_dependency() -> None:
    problem = only_problem(job(notebook("a", depends_on=[{"task_key": "nope"}])))
    assert problem == Problem(
        "tasks[0].depends_on[0].task_key", "task 'a' depends on unknown task 'nope'"
    )


def test_self_dependency() -> None:
    problem = only_problem(job(notebook("a", depends_on=[{"task_key": "a"}])))
    assert problem == Problem("tasks[0].depends_on[0].task_key", "task 'a' depends on itself")


def test_duplicate_dependency() -> None:
    problem = only_problem(
        job(notebook("a"), notebook("b", depends_on=[{"task_key": "a"}, {"task_key": "a"}]))
    )
    assert problem == Problem(
        "tasks[1].depends_on[1].task_key", "task 'b' lists dependency 'a' twice"
    )


def test_dependency_task_key_required() -> None:
    problem = only_problem(job(notebook("a", depends_on=[{}])))
    assert problem.path == "tasks[0].depends_on[0].task_key"
    assert problem.message == "in task 'a': required field is missing"


def test_cycle_is_named() -> None:
    raw = job(
        notebook("a", depends_on=[{"task_key": "c"}]),
        notebook("b", depends_on=[{"task_key": "a"}]),
        notebook("c", depends_on=[{"task_key": "b"}]),
        notebook("d", depends_on=[{"task_key": "a"}]),
    )
    problem = only_problem(raw)
    assert problem.message == "dependency cycle: a -> c -> b -> a"
    assert problem.path == "tasks[0].depends_on"


def test_two_separate_cycles_are_both_reported() -> None:
    raw = job(
        notebook("a", depends_on=[{"task_key": "b"}]),
        notebook("b", depends_on=[{"task_key": "a"}]),
        notebook("x", depends_on=[{"task_key": "y"}]),
        notebook("y", depends_on=[{"task_key": "x"}]),
    )
    messages = sorted(p.message for p in problems_of(raw))
    assert messages == ["dependency cycle: a -> b -> a", "dependency cycle: x -> y -> x"]


def test_long_chain_has_no_cycle_and_no_recursion_error() -> None:
    tasks = [notebook("t0")] + [
        notebook(f"t{i}", depends_on=[{"task_key": f"t{i - 1}"}]) for i in range(1, 1000)
    ]
    assert len(parse_job_settings(job(*tasks)).task_list) == 1000


def test_long_cycle_is_found() -> None:
    tasks = [notebook("t0", depends_on=[{"task_key": "t999"}])] + [
        notebook(f"t{i}", depends_on=[{"task_key": f"t{i - 1}"}]) for i in range(1, 1000)
    ]
    problem = only_problem(job(*tasks))
    assert problem.message.startswith("dependency cycle: t0 -> t999 -> t998")


def test_at_most_1000_tasks() -> None:
    problem = only_problem(job(*[notebook(f"t{i}") for i in range(1001)]))
    assert problem == Problem("tasks", "at most 1000 items allowed, got 1001")


# --- condition outcomes ------------------------------------------------------------------


def condition(key: str) -> dict[str, Any]:
    return {"task_key": key, "condition_task": {"op": "EQUAL_TO", "left": "a", "right": "b"}}


def test_outcome_on_condition_dependency_is_fine() -> None:
    raw = job(
        condition("c"),
        notebook("yes", depends_on=[{"task_key": "c", "outcome": "true"}]),
        notebook("no", depends_on=[{"task_key": "c", "outcome": "false"}]),
    )
    assert parse_job_settings(raw).task("yes").dependency_keys == ("c",)


def test_yaml_boolean_outcome_is_accepted_as_text() -> None:
    raw = job(condition("c"), notebook("yes", depends_on=[{"task_key": "c", "outcome": True}]))
    deps = parse_job_settings(raw).task("yes").depends_on
    assert deps is not None
    assert deps[0].outcome == "true"


def test_outcome_only_after_condition_tasks() -> None:
    problem = only_problem(
        job(notebook("a"), notebook("b", depends_on=[{"task_key": "a", "outcome": "true"}]))
    )
    assert problem.path == "tasks[1].depends_on[0].outcome"
    assert problem.message.startswith(
        "Outcomes can only be specified for if/else condition dependencies"
    )


def test_outcome_must_be_true_or_false() -> None:
    problem = only_problem(
        job(condition("c"), notebook("b", depends_on=[{"task_key": "c", "outcome": "maybe"}]))
    )
    assert problem == Problem(
        "tasks[1].depends_on[0].outcome", 'outcome must be "true" or "false", got \'maybe\''
    )


# --- task types and compute --------------------------------------------------------------


def test_task_without_type_lists_the_types() -> None:
    problem = only_problem(job({"task_key": "a"}))
    assert problem.path == "tasks[0]"
    assert problem.message.startswith("task 'a' has no task type; set one of notebook_task,")
    assert "condition_task" in problem.message
    assert "for_each_task" in problem.message


def test_task_with_two_types_names_them() -> None:
    raw = job({**notebook("a"), "spark_python_task": {"python_file": "x.py"}})
    problem = only_problem(raw)
    assert problem == Problem(
        "tasks[0]",
        "task 'a' sets several task types (notebook_task, spark_python_task); set exactly one",
    )


def test_unknown_task_type_counts_as_a_type() -> None:
    problem = only_problem(job({**notebook("a"), "quantum_task": {}}))
    assert "(notebook_task, quantum_task)" in problem.message


def test_null_task_type_does_not_count() -> None:
    task = parse_job_settings(job({**notebook("a"), "sql_task": None})).task("a")
    assert task.task_type is TaskType.NOTEBOOK


def test_several_compute_selectors() -> None:
    raw = job(
        notebook("a", existing_cluster_id="c", new_cluster={"spark_version": "x"}),
    )
    problem = only_problem(raw)
    assert problem == Problem(
        "tasks[0]",
        "task 'a' sets several compute selectors (existing_cluster_id, new_cluster); "
        "set at most one",
    )


def test_job_cluster_key_must_exist() -> None:
    raw = job(
        notebook("a", job_cluster_key="main"),
        notebook("b", job_cluster_key="other"),
        job_clusters=[{"job_cluster_key": "main", "new_cluster": {"num_workers": 1}}],
    )
    problem = only_problem(raw)
    assert problem.path == "tasks[1].job_cluster_key"
    assert "'other', which is not in job_clusters (defined: main)" in problem.message


def test_job_cluster_keys_unique() -> None:
    raw = job(
        notebook("a"),
        job_clusters=[{"job_cluster_key": "main"}, {"job_cluster_key": "main"}],
    )
    assert only_problem(raw) == Problem(
        "job_clusters[1].job_cluster_key", "duplicate job_cluster_key 'main'"
    )


def test_environment_key_must_exist() -> None:
    raw = job(
        {"task_key": "a", "spark_python_task": {"python_file": "x"}, "environment_key": "e"},
        environments=[{"environment_key": "f"}],
    )
    problem = only_problem(raw)
    assert problem.path == "tasks[0].environment_key"
    assert "'e', which is not in environments (defined: f)" in problem.message


# --- for each ----------------------------------------------------------------------------


def for_each(key: str, inner: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"task_key": key, "for_each_task": {"inputs": "[1]", "task": inner, **extra}}


def test_for_each_is_valid() -> None:
    settings = parse_job_settings(job(for_each("loop", notebook("inner"), concurrency="5")))
    loop = settings.task("loop").for_each_task
    assert loop is not None
    assert loop.concurrency == 5


def test_for_each_cannot_nest_for_each() -> None:
    problem = only_problem(job(for_each("loop", for_each("inner", notebook("deep")))))
    assert problem.path == "tasks[0].for_each_task.task.for_each_task"
    assert "cannot itself be a for_each_task" in problem.message


def test_for_each_nested_task_needs_exactly_one_type() -> None:
    problem = only_problem(job(for_each("loop", {"task_key": "inner"})))
    assert problem.path == "tasks[0].for_each_task.task"
    assert problem.message.startswith("task 'inner' has no task type")


@pytest.mark.parametrize(("value", "word"), [(0, "at least 1"), (101, "at most 100")])
def test_for_each_concurrency_range(value: int, word: str) -> None:
    problem = only_problem(job(for_each("loop", notebook("inner"), concurrency=value)))
    assert problem.path == "tasks[0].for_each_task.concurrency"
    assert word in problem.message


# --- job-level fields --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "path", "fragment"),
    [
        ("max_concurrent_runs", -1, "max_concurrent_runs", "must be at least 0"),
        ("max_concurrent_runs", 1001, "max_concurrent_runs", "must be at most 1000"),
        ("timeout_seconds", -5, "timeout_seconds", "must be at least 0"),
        ("max_concurrent_runs", "many", "max_concurrent_runs", "expected an integer, got 'many'"),
        ("tags", {f"k{i}": "v" for i in range(26)}, "tags", "at most 25 items allowed, got 26"),
        ("name", "é" * 2049, "name", "4098 bytes long; at most 4096"),
        ("queue", {"enabled": "perhaps"}, "queue.enabled", "expected a boolean"),
        ("queue", {}, "queue.enabled", "required field is missing"),
        ("tasks", {"a": 1}, "tasks", "expected a list, got an object"),
        ("schedule", "daily", "schedule", "expected an object, got a string"),
    ],
)
def test_job_field_rules(field: str, value: Any, path: str, fragment: str) -> None:
    problem = only_problem({"name": "j", field: value})
    assert problem.path == path
    assert fragment in problem.message


def test_limits_at_the_edge_are_accepted() -> None:
    raw = {
        "name": "é" * 2048,
        "max_concurrent_runs": 1000,
        "timeout_seconds": 0,
        "tags": {f"k{i}": "v" for i in range(25)},
    }
    assert parse_job_settings(raw).effective_max_concurrent_runs == 1000


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("timeout_seconds", -1, "must be at least 0"),
        ("max_retries", -2, "must be at least -1"),
        ("min_retry_interval_millis", -1, "must be at least 0"),
        ("run_if", "SOMETIMES", "allowed values: ALL_SUCCESS, AT_LEAST_ONE_SUCCESS"),
        ("retry_on_timeout", "sure", "expected a boolean"),
    ],
)
def test_task_field_rules(field: str, value: Any, fragment: str) -> None:
    problem = only_problem(job(notebook("a", **{field: value})))
    assert problem.path == f"tasks[0].{field}"
    assert problem.message.startswith("in task 'a': ")
    assert fragment in problem.message


def test_enum_problem_lists_allowed_values() -> None:
    problem = only_problem(
        {
            "name": "j",
            "schedule": {
                "quartz_cron_expression": "x",
                "timezone_id": "UTC",
                "pause_status": "OFF",
            },
        }
    )
    assert problem == Problem(
        "schedule.pause_status", "invalid value 'OFF'; allowed values: PAUSED, UNPAUSED"
    )


def test_parameter_names() -> None:
    raw = {
        "name": "j",
        "parameters": [
            {"name": "ok.name-1_x", "default": ""},
            {"name": "bad name", "default": ""},
            {"name": "ok.name-1_x", "default": "again"},
            {"name": "no_default"},
        ],
    }
    problems = problems_of(raw)
    assert Problem("parameters[2].name", "duplicate job parameter 'ok.name-1_x'") in problems
    assert Problem("parameters[3].default", "required field is missing") in problems
    bad = [p for p in problems if p.path == "parameters[1].name"]
    assert len(bad) == 1
    assert "may contain only letters, digits, '_', '.' and '-'" in bad[0].message
    assert len(problems) == 3


def test_schedule_and_continuous_are_exclusive() -> None:
    raw = {
        "name": "j",
        "schedule": {"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC"},
        "continuous": {"pause_status": "UNPAUSED"},
    }
    assert only_problem(raw) == Problem("continuous", "schedule and continuous cannot both be set")


@pytest.mark.parametrize(
    "legacy",
    [
        {"schedule": {"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC"}},
        {"trigger": {"periodic": {"interval": 1, "unit": "HOURS"}}},
        {"continuous": {}},
    ],
)
def test_triggers_not_combined_with_legacy_triggers(legacy: dict[str, Any]) -> None:
    raw = {"name": "j", "triggers": [{"periodic": {"interval": 1, "unit": "DAYS"}}], **legacy}
    problem = only_problem(raw)
    assert problem.path == "triggers"
    assert problem.message == f"triggers cannot be combined with {next(iter(legacy))}"


def test_triggers_alone_are_fine() -> None:
    raw = {"name": "j", "triggers": [{"periodic": {"interval": "2", "unit": "DAYS"}}]}
    triggers = parse_job_settings(raw).triggers
    assert triggers is not None
    assert triggers[0].periodic is not None
    assert triggers[0].periodic.interval == 2


def test_file_arrival_minimum_interval() -> None:
    raw = {
        "name": "j",
        "trigger": {"file_arrival": {"url": "/v", "wait_after_last_change_seconds": 30}},
    }
    problem = only_problem(raw)
    assert problem.path == "trigger.file_arrival.wait_after_last_change_seconds"


# --- dynamic value references ------------------------------------------------------------


def test_invalid_reference_in_known_namespace() -> None:
    raw = job(
        {
            "task_key": "t",
            "notebook_task": {"notebook_path": "/x", "base_parameters": {"date": "{{job.naem}}"}},
        }
    )
    assert only_problem(raw) == Problem(
        "tasks[0].notebook_task.base_parameters.date",
        "unknown dynamic value reference {{job.naem}}",
    )


def test_reference_to_task_not_in_job() -> None:
    raw = job(
        notebook("a"),
        {
            "task_key": "c",
            "depends_on": [{"task_key": "a"}],
            "condition_task": {"op": "EQUAL_TO", "left": "{{tasks.ghost.values.x}}", "right": "1"},
        },
    )
    problem = only_problem(raw)
    assert problem.path == "tasks[1].condition_task.left"
    assert "names task 'ghost', not in this job" in problem.message


def test_unknown_namespaces_and_non_references_are_literal() -> None:
    raw = job(
        {
            "task_key": "t",
            "notebook_task": {
                "notebook_path": "/x",
                "base_parameters": {
                    "a": "{{my.value}}",
                    "b": "{{job.id}",
                    "c": "{{secrets/scope/key}}",
                    "d": "{{ job.id }}",
                    "e": "${var.x}",
                },
            },
        }
    )
    assert parse_job_settings(raw).task_keys == ("t",)


@pytest.mark.parametrize(
    ("task", "path"),
    [
        (
            {"spark_python_task": {"python_file": "x", "parameters": ["{{job.x}}"]}},
            "spark_python_task.parameters[0]",
        ),
        (
            {
                "python_wheel_task": {
                    "package_name": "p",
                    "entry_point": "e",
                    "parameters": ["{{job.x}}"],
                }
            },
            "python_wheel_task.parameters[0]",
        ),
        (
            {
                "python_wheel_task": {
                    "package_name": "p",
                    "entry_point": "e",
                    "named_parameters": {"k": "{{job.x}}"},
                }
            },
            "python_wheel_task.named_parameters.k",
        ),
        ({"spark_jar_task": {"parameters": ["{{job.x}}"]}}, "spark_jar_task.parameters[0]"),
        ({"spark_submit_task": {"parameters": ["{{job.x}}"]}}, "spark_submit_task.parameters[0]"),
        (
            {
                "sql_task": {
                    "warehouse_id": "w",
                    "query": {"query_id": "q"},
                    "parameters": {"k": "{{job.x}}"},
                }
            },
            "sql_task.parameters.k",
        ),
        ({"dbt_task": {"commands": ["dbt run --vars {{job.x}}"]}}, "dbt_task.commands[0]"),
        (
            {"run_job_task": {"job_id": 1, "job_parameters": {"k": "{{job.x}}"}}},
            "run_job_task.job_parameters.k",
        ),
        (
            {"run_job_task": {"job_id": 1, "python_params": ["{{job.x}}"]}},
            "run_job_task.python_params[0]",
        ),
        (
            {"condition_task": {"op": "EQUAL_TO", "left": "1", "right": "{{job.x}}"}},
            "condition_task.right",
        ),
        ({"for_each_task": {"inputs": "{{job.x}}", "task": notebook("i")}}, "for_each_task.inputs"),
        (
            {
                "for_each_task": {
                    "inputs": "[1]",
                    "task": {
                        "task_key": "i",
                        "notebook_task": {
                            "notebook_path": "/x",
                            "base_parameters": {"k": "{{input.a}} {{job.x}}"},
                        },
                    },
                }
            },
            "for_each_task.task.notebook_task.base_parameters.k",
        ),
        (
            {
                "notebook_task": {"notebook_path": "/x"},
                "new_cluster": {"spark_env_vars": {"K": "{{job.x}}"}},
            },
            "new_cluster.spark_env_vars.K",
        ),
    ],
)
def test_references_are_checked_in_every_configuration_string(
    task: dict[str, Any], path: str
) -> None:
    problem = only_problem(job({"task_key": "t", **task}))
    assert problem == Problem(f"tasks[0].{path}", "unknown dynamic value reference {{job.x}}")


def test_references_in_job_level_strings() -> None:
    raw = {
        "name": "j",
        "parameters": [{"name": "d", "default": "{{job.start_time.iso_dat}}"}],
        "job_clusters": [
            {"job_cluster_key": "m", "new_cluster": {"spark_env_vars": {"E": "{{task.nme}}"}}}
        ],
    }
    problems = problems_of(raw)
    assert problems == [
        Problem(
            "parameters[0].default", "unknown dynamic value reference {{job.start_time.iso_dat}}"
        ),
        Problem(
            "job_clusters[0].new_cluster.spark_env_vars.E",
            "unknown dynamic value reference {{task.nme}}",
        ),
    ]


# --- all problems at once ----------------------------------------------------------------


def test_all_problems_are_reported_at_once() -> None:
    raw = job(
        notebook("a", depends_on=[{"task_key": "b"}], timeout_seconds="soon"),
        notebook("b", depends_on=[{"task_key": "a"}, {"task_key": "zz"}]),
        {"task_key": "b"},
        {
            "task_key": "c",
            "notebook_task": {"notebook_path": "/x", "base_parameters": {"d": "{{job.naem}}"}},
            "job_cluster_key": "missing",
        },
        max_concurrent_runs=2000,
    )
    paths = [p.path for p in problems_of(raw)]
    assert sorted(paths) == sorted(
        [
            "tasks[0].timeout_seconds",
            "max_concurrent_runs",
            "tasks[2].task_key",
            "tasks[1].depends_on[1].task_key",
            "tasks[2]",
            "tasks[3].job_cluster_key",
            "tasks[0].depends_on",
            "tasks[3].notebook_task.base_parameters.d",
        ]
    )


def test_check_job_tolerates_garbage() -> None:
    raw: dict[str, Any] = {
        "tasks": [
            1,
            "x",
            None,
            {"task_key": 5, "depends_on": "a"},
            {"depends_on": [1, {"task_key": 2}]},
        ],
        "job_clusters": "nope",
        "parameters": [None, {"name": 3}],
    }
    problems = check_job(raw)
    # Each of the 5 entries lacks a task type; nothing else can be said and nothing crashes.
    assert [p.path for p in problems] == [f"tasks[{i}]" for i in range(5)]
    assert all("has no task type" in p.message for p in problems)


def test_format_path() -> None:
    assert (
        format_path(("tasks", 2, "depends_on", 0, "task_key")) == "tasks[2].depends_on[0].task_key"
    )
    assert format_path(()) == ""
    assert format_path(("tags", "k")) == "tags.k"
