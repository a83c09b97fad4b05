"""spec.task_type_check: an unknown ``*_task`` field is named with the nearest known type."""

from __future__ import annotations

from typing import Any

from brickyard.errors import Problem
from brickyard.spec import TASK_TYPE_FIELDS, parse_job_settings, unknown_task_types


def _job(*tasks: dict[str, Any]) -> dict[str, Any]:
    return {"name": "j", "tasks": list(tasks)}


def test_a_typo_gets_a_did_you_mean() -> None:
    settings = parse_job_settings(
        _job(
            {"task_key": "a", "notebook_task": {"notebook_path": "/a"}},
            {"task_key": "b", "notebok_task": {"notebook_path": "/b"}},
            {"task_key": "c", "spark_pyhton_task": {"python_file": "c.py"}},
        )
    )
    assert unknown_task_types(settings) == [
        Problem(
            "tasks[1].notebok_task",
            "unknown task type 'notebok_task'; did you mean 'notebook_task'?",
        ),
        Problem(
            "tasks[2].spark_pyhton_task",
            "unknown task type 'spark_pyhton_task'; did you mean 'spark_python_task'?",
        ),
    ]


def test_a_name_like_no_type_lists_the_types() -> None:
    settings = parse_job_settings(_job({"task_key": "q", "quantum_task": {"qubits": 4}}))
    (problem,) = unknown_task_types(settings)
    assert problem.path == "tasks[0].quantum_task"
    assert problem.message == (
        f"unknown task type 'quantum_task'; the task types are {', '.join(TASK_TYPE_FIELDS)}"
    )


def test_the_nested_task_of_a_for_each_is_checked() -> None:
    settings = parse_job_settings(
        _job(
            {
                "task_key": "loop",
                "for_each_task": {
                    "inputs": "[1]",
                    "task": {"task_key": "body", "sqll_task": {"warehouse_id": "w"}},
                },
            }
        )
    )
    assert [p.path for p in unknown_task_types(settings)] == [
        "tasks[0].for_each_task.task.sqll_task"
    ]


def test_known_types_pass() -> None:
    settings = parse_job_settings(
        _job(
            {"task_key": "a", "notebook_task": {"notebook_path": "/a"}},
            {"task_key": "b", "dashboard_task": {"dashboard_id": "d"}},
        )
    )
    assert unknown_task_types(settings) == []
