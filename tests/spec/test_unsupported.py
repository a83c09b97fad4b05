"""spec.unsupported: one table of settings stored but not acted on; every place a job sets one,
with its path; README's list is the table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from brickyard.executors.registry import TASK_TYPES
from brickyard.spec import (
    JobSettings,
    Task,
    not_acted_on,
    parse_job_settings,
    unsupported_settings,
    unsupported_task_settings,
)
from brickyard.spec.triggers import TriggerKind
from brickyard.triggers.evaluators import UNEVALUATED

README = Path(__file__).resolve().parents[2] / "README.md"

NOTIFICATIONS = {"on_failure": ["ops@example.com"]}
WEBHOOKS = {"on_failure": [{"id": "hook"}]}
HEALTH = {"rules": [{"metric": "RUN_DURATION_SECONDS", "op": "GREATER_THAN", "value": 60}]}
CLUSTER = {
    "spark_version": "15.4.x-scala2.12",
    "num_workers": 2,
    "spark_conf": {"spark.sql.shuffle.partitions": "8"},
    "init_scripts": [{"workspace": {"destination": "/init.sh"}}],
    "cluster_log_conf": {"dbfs": {"destination": "dbfs:/logs"}},
}
LIBRARIES = [
    {"pypi": {"package": "requests"}},
    {"maven": {"coordinates": "com.example:lib:1.0"}},
    {"jar": "dbfs:/jars/x.jar"},
    {"cran": {"package": "forecast"}},
    {"egg": "dbfs:/eggs/x.egg"},
]
TASK_SETTINGS: dict[str, Any] = {
    "email_notifications": NOTIFICATIONS,
    "webhook_notifications": WEBHOOKS,
    "notification_settings": {"alert_on_last_attempt": True},
    "health": HEALTH,
    "libraries": LIBRARIES,
    "new_cluster": CLUSTER,
}
SQL_CONDITION = {"sql_query_id": "q", "warehouse_id": "w"}
TABLE_UPDATE = {"table_names": ["main.sales.orders"]}
JOB_COMPLETION = {"jobs": [{"job_id": "7", "workspace_id": "1"}]}
MODEL = {"condition": "MODEL_CREATED"}
EVERYTHING: dict[str, Any] = {
    "name": "everything",
    "email_notifications": NOTIFICATIONS,
    "webhook_notifications": WEBHOOKS,
    "notification_settings": {"no_alert_for_skipped_runs": True},
    "health": HEALTH,
    "job_clusters": [{"job_cluster_key": "c", "new_cluster": CLUSTER}],
    "environments": [
        {
            "environment_key": "e",
            "spec": {"client": "2", "dependencies": ["x"], "java_dependencies": ["y"]},
        }
    ],
    "environment_variables": [
        {"environment_variables_key": "v", "spec": {"variables": {"A": "1"}}}
    ],
    "git_source": {"git_url": "https://github.com/o/r", "git_provider": "gitHub"},
    "run_as": {"user_name": "someone@example.com"},
    "schedule": {
        "quartz_cron_expression": "0 0 2 * * ?",
        "timezone_id": "UTC",
        "sql_condition": SQL_CONDITION,
    },
    "trigger": {
        "table_update": TABLE_UPDATE,
        "table": TABLE_UPDATE,
        "job_completion": JOB_COMPLETION,
        "model": MODEL,
        "sql_condition": SQL_CONDITION,
    },
    "triggers": [
        {"table_update": TABLE_UPDATE},
        {"job_completion": JOB_COMPLETION},
        {"model": MODEL, "sql_condition": SQL_CONDITION},
        {"continuous": {"task_retry_mode": "ON_FAILURE", "maintenance_window": None}},
        {
            "continuous": {
                "maintenance_window": {
                    "day_of_week": "MONDAY",
                    "start_hour": 2,
                    "timezone_id": "UTC",
                }
            }
        },
    ],
    "continuous": {
        "task_retry_mode": "ON_FAILURE",
        "maintenance_window": {"day_of_week": "MONDAY", "start_hour": 2, "timezone_id": "UTC"},
    },
    "tasks": [
        {"task_key": "t", "notebook_task": {"notebook_path": "/n"}, **TASK_SETTINGS},
        # a notebook's jar and maven libraries go on its Spark's classpath; a dbt task's do not
        {"task_key": "d", "dbt_task": {"commands": ["dbt run"]}, "libraries": LIBRARIES},
    ],
}


def _pattern(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def test_every_row_of_the_table_is_found_where_a_job_sets_it() -> None:
    # the model only, without the cross-field rules: schedule, continuous and triggers
    # together cannot be saved, but each is a place the walk must look
    settings = JobSettings.model_validate(EVERYTHING)
    warnings = unsupported_settings(settings, UNEVALUATED)
    assert {_pattern(w.path) for w in warnings} == {
        row.pattern for row in not_acted_on(UNEVALUATED)
    }
    reasons = {row.pattern: row.reason for row in not_acted_on(UNEVALUATED)}
    assert all(w.message == reasons[_pattern(w.path)] for w in warnings)


def test_a_maven_library_is_named_by_its_path() -> None:
    settings = parse_job_settings(
        {
            "tasks": [
                {"task_key": "a", "notebook_task": {"notebook_path": "/a"}},
                {"task_key": "b", "notebook_task": {"notebook_path": "/b"}},
                {
                    "task_key": "c",
                    "dbt_task": {"commands": ["dbt run"]},
                    "libraries": [{"maven": {"coordinates": "com.example:lib:1.0"}}],
                },
            ]
        }
    )
    assert [str(w) for w in unsupported_settings(settings, UNEVALUATED)] == [
        "tasks[2].libraries[0].maven: maven libraries are not installed by brickyard yet; "
        "the task runs without them"
    ]


def test_what_brickyard_acts_on_is_not_warned_about() -> None:
    settings = parse_job_settings(
        {
            "max_concurrent_runs": 2,
            "timeout_seconds": 60,
            "queue": {"enabled": True},
            "tags": {"team": "data"},
            "schedule": {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "UTC"},
            "tasks": [
                {
                    "task_key": "t",
                    "spark_python_task": {"python_file": "t.py"},
                    "max_retries": 2,
                    "libraries": [
                        {"pypi": {"package": "requests"}},
                        {"whl": "dist/x.whl"},
                        {"requirements": "requirements.txt"},
                    ],
                    "new_cluster": {
                        "spark_version": "15.4.x-scala2.12",
                        "node_type_id": "i3.xlarge",
                        "num_workers": 4,
                        "spark_env_vars": {"A": "1"},
                    },
                }
            ],
        }
    )
    assert unsupported_settings(settings, UNEVALUATED) == []


def test_an_empty_setting_asks_for_nothing() -> None:
    settings = parse_job_settings(
        {
            "email_notifications": {},
            "health": {"rules": []},
            "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/n"}, "libraries": []}],
        }
    )
    assert unsupported_settings(settings, UNEVALUATED) == []


def test_the_nested_task_of_a_for_each_is_looked_at() -> None:
    settings = parse_job_settings(
        {
            "tasks": [
                {
                    "task_key": "loop",
                    "for_each_task": {
                        "inputs": "[1, 2]",
                        "task": {
                            "task_key": "body",
                            "notebook_task": {"notebook_path": "/n"},
                            "libraries": [{"cran": {"package": "forecast"}}],
                        },
                    },
                }
            ]
        }
    )
    paths = [w.path for w in unsupported_settings(settings, UNEVALUATED)]
    assert paths == ["tasks[0].for_each_task.task.libraries[0].cran"]


def test_task_settings_are_relative_to_the_task() -> None:
    task = Task.model_validate(
        {"task_key": "t", "notebook_task": {"notebook_path": "/n"}, **TASK_SETTINGS}
    )
    assert [w.path for w in unsupported_task_settings(task)] == [
        "email_notifications",
        "webhook_notifications",
        "notification_settings",
        "health",
        "libraries[3].cran",
        "libraries[4].egg",
        "new_cluster.init_scripts",
        "new_cluster.cluster_log_conf",
    ]


def test_trigger_kinds_warned_about_are_the_ones_passed_in() -> None:
    settings = parse_job_settings(
        {
            "trigger": {"table_update": TABLE_UPDATE},
            "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/n"}}],
        }
    )
    assert [w.path for w in unsupported_settings(settings, UNEVALUATED)] == ["trigger.table_update"]
    # once table-update triggers are evaluated, their warning goes with it
    evaluated = UNEVALUATED - {TriggerKind.TABLE_UPDATE}
    assert unsupported_settings(settings, evaluated) == []


def test_evaluated_trigger_kinds_have_no_row() -> None:
    patterns = {row.pattern for row in not_acted_on(UNEVALUATED)}
    assert "trigger.file_arrival" not in patterns and "trigger.periodic" not in patterns
    assert UNEVALUATED, "the rows of unevaluated kinds are tested while there are some"
    assert {"trigger.table_update", "triggers[].model"} <= patterns


# --- README --------------------------------------------------------------------------------


def _readme_section(title: str) -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(title) + 1
    section: list[str] = []
    for line in lines[start:]:
        if line.startswith("#"):
            break
        section.append(line)
    return section


def _bullets(lines: list[str]) -> list[str]:
    """The bullet items of ``lines``, continuation lines joined."""
    items: list[str] = []
    for line in lines:
        if line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    return items


def test_readme_lists_the_table() -> None:
    section = _readme_section("## Accepted but not acted on yet")
    expected = [f"`{row.pattern}`: {row.reason}" for row in not_acted_on(UNEVALUATED)]
    assert _bullets(section) == expected


def test_readme_names_the_task_types_brickyard_does_not_run() -> None:
    section = " ".join(_readme_section("## Accepted but not acted on yet"))
    not_run = [
        task_type.value
        for task_type, definition in TASK_TYPES.items()
        if definition.executor is None and not definition.evaluated_by_engine
    ]
    listed = re.search(r"Task types brickyard does not run yet: (.*?)\.", section)
    assert listed is not None
    assert listed.group(1).replace("`", "").split(", ") == not_run


def test_jar_and_maven_libraries_are_acted_on_by_python_tasks_on_a_cluster_only() -> None:
    libraries = [{"maven": {"coordinates": "com.example:lib:1.0"}}, {"jar": "dbfs:/x.jar"}]
    settings = parse_job_settings(
        {
            "job_clusters": [
                {"job_cluster_key": "c", "new_cluster": {"spark_version": "15.4.x-scala2.12"}}
            ],
            "tasks": [
                {
                    "task_key": "local",
                    "notebook_task": {"notebook_path": "/n"},
                    "libraries": libraries,
                },
                {
                    "task_key": "shared",
                    "job_cluster_key": "c",
                    "notebook_task": {"notebook_path": "/n"},
                    "libraries": libraries,
                },
                {
                    "task_key": "existing",
                    "existing_cluster_id": "0101-000000-abcdefgh",
                    "spark_python_task": {"python_file": "/p.py"},
                    "libraries": libraries,
                },
            ],
        }
    )
    paths = [w.path for w in unsupported_settings(settings, UNEVALUATED)]
    assert paths == ["tasks[0].libraries[0].maven", "tasks[0].libraries[1].jar"]
