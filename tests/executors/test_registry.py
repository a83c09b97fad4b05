"""ExecutorRegistry: which task types have an executor, and the reason for the others."""

from __future__ import annotations

from typing import Any

import pytest

from brickyard.executors.notebook import NotebookExecutor
from brickyard.executors.python_script import PythonScriptExecutor
from brickyard.executors.python_wheel import PythonWheelExecutor
from brickyard.executors.registry import ExecutorRegistry
from brickyard.spec import Task


def task(**fields: Any) -> Task:
    return Task.model_validate({"task_key": "t", **fields})


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"notebook_task": {"notebook_path": "/x"}}, NotebookExecutor),
        ({"spark_python_task": {"python_file": "x.py"}}, PythonScriptExecutor),
        (
            {"python_wheel_task": {"package_name": "p", "entry_point": "main"}},
            PythonWheelExecutor,
        ),
    ],
)
def test_executor_for_supported_types(
    registry: ExecutorRegistry, fields: dict[str, Any], kind: type
) -> None:
    assert isinstance(registry.executor_for(task(**fields)), kind)


def test_condition_task_has_no_executor(registry: ExecutorRegistry) -> None:
    condition = task(condition_task={"op": "EQUAL_TO", "left": "a", "right": "b"})
    assert registry.executor_for(condition) is None
    assert "engine evaluates" in registry.unsupported_reason(condition)


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"sql_task": {"warehouse_id": "w", "query": {"query_id": "q"}}}, "sql_task"),
        ({"dbt_task": {"commands": ["dbt run"]}}, "dbt_task"),
        ({"spark_jar_task": {"main_class_name": "Main"}}, "spark_jar_task"),
        ({"some_future_task": {"x": 1}}, "some_future_task"),
    ],
)
def test_unsupported_types(registry: ExecutorRegistry, fields: dict[str, Any], name: str) -> None:
    unsupported = task(**fields)
    assert registry.executor_for(unsupported) is None
    assert registry.unsupported_reason(unsupported) == f"brickyard does not run {name} tasks yet"


def test_task_without_a_type(registry: ExecutorRegistry) -> None:
    assert registry.executor_for(task()) is None
    assert "has no task type" in registry.unsupported_reason(task())
