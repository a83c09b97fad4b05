"""executors.job_checks: errors (unknown task types, missing files) and warnings (settings not
acted on, task types brickyard does not run yet, from the one table)."""

from __future__ import annotations

from pathlib import Path

from brickyard.errors import Problem
from brickyard.executors.job_checks import check_job_settings, not_run_task_types
from brickyard.executors.sources import SourceLookup
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings
from brickyard.triggers.evaluators import UNEVALUATED

JOB = {
    "name": "j",
    "health": {"rules": [{"metric": "RUN_DURATION_SECONDS", "op": "GREATER_THAN", "value": 9}]},
    "tasks": [
        {"task_key": "a", "notebok_task": {"notebook_path": "a"}},
        {"task_key": "b", "notebook_task": {"notebook_path": "b"}},
        {"task_key": "c", "dbt_task": {"commands": ["dbt run"]}},
        {"task_key": "d", "condition_task": {"op": "EQUAL_TO", "left": "1", "right": "1"}},
    ],
}


def test_types_brickyard_does_not_run_are_warnings() -> None:
    assert not_run_task_types(parse_job_settings(JOB)) == [
        Problem("tasks[2].dbt_task", "brickyard does not run dbt_task tasks yet")
    ]


def test_without_a_lookup_files_are_not_looked_for() -> None:
    check = check_job_settings(parse_job_settings(JOB), unevaluated_triggers=UNEVALUATED)
    assert [p.path for p in check.errors] == ["tasks[0].notebok_task"]
    assert [p.path for p in check.warnings] == ["health", "tasks[2].dbt_task"]


def test_with_a_lookup_missing_files_are_errors(settings: Settings, job_dir: Path) -> None:
    check = check_job_settings(
        parse_job_settings(JOB),
        unevaluated_triggers=UNEVALUATED,
        sources=SourceLookup(settings=settings, base_dir=job_dir),
    )
    assert [p.path for p in check.errors] == [
        "tasks[0].notebok_task",
        "tasks[1].notebook_task.notebook_path",
    ]


def test_unknown_node_types_are_errors_at_their_field() -> None:
    settings = parse_job_settings(
        {
            "name": "sized",
            "job_clusters": [
                {
                    "job_cluster_key": "c",
                    "new_cluster": {
                        "spark_version": "15.4.x-scala2.12",
                        "node_type_id": "Standard_Nope",
                    },
                }
            ],
            "tasks": [
                {
                    "task_key": "t",
                    "new_cluster": {
                        "spark_version": "15.4.x-scala2.12",
                        "node_type_id": "m5.xlarge",
                        "driver_node_type_id": "m5.giant",
                    },
                    "notebook_task": {"notebook_path": "/n"},
                }
            ],
        }
    )
    errors = check_job_settings(settings, unevaluated_triggers=UNEVALUATED).errors
    assert [e.path for e in errors] == [
        "job_clusters[0].new_cluster.node_type_id",
        "tasks[0].new_cluster.driver_node_type_id",
    ]
    assert "'Standard_Nope' is not a known node type" in errors[0].message
