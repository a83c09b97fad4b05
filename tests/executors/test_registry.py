"""ExecutorRegistry: which task types have an executor, and the reason for the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brickyard.executors.definition import TaskOutput
from brickyard.executors.notebook import NotebookExecutor
from brickyard.executors.python_script import PythonScriptExecutor
from brickyard.executors.python_wheel import PythonWheelExecutor
from brickyard.executors.registry import (
    TASK_TYPES,
    ExecutorRegistry,
    definition_of,
    task_output,
)
from brickyard.executors.spark_jar import SparkJarExecutor
from brickyard.executors.spark_submit import SparkSubmitExecutor
from brickyard.spec import Task, TaskType
from brickyard.task_protocol import RuntimeKind, read_runtime_spec


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
        ({"spark_jar_task": {"main_class_name": "a.Main"}}, SparkJarExecutor),
        ({"spark_submit_task": {"parameters": ["app.jar"]}}, SparkSubmitExecutor),
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


# --- the definitions table -----------------------------------------------------------------


def test_every_task_type_has_exactly_one_definition() -> None:
    assert set(TASK_TYPES) == set(TaskType)
    assert all(task_type is TASK_TYPES[task_type].task_type for task_type in TaskType)


def test_the_registry_builds_an_executor_for_each_type_that_has_one(
    registry: ExecutorRegistry,
) -> None:
    runnable = {t for t, definition in TASK_TYPES.items() if definition.executor is not None}
    assert (
        set(registry.task_types)
        == runnable
        == {
            TaskType.NOTEBOOK,
            TaskType.SPARK_PYTHON,
            TaskType.PYTHON_WHEEL,
            TaskType.SPARK_JAR,
            TaskType.SPARK_SUBMIT,
        }
    )


@pytest.mark.parametrize(
    ("task_type", "kind", "output"),
    [
        (TaskType.NOTEBOOK, RuntimeKind.NOTEBOOK, TaskOutput.NOTEBOOK_OUTPUT),
        (TaskType.SPARK_PYTHON, RuntimeKind.PYTHON_FILE, TaskOutput.LOGS),
        (TaskType.PYTHON_WHEEL, RuntimeKind.PYTHON_WHEEL, TaskOutput.LOGS),
        (TaskType.SPARK_JAR, None, TaskOutput.LOGS),
        (TaskType.SPARK_SUBMIT, None, TaskOutput.LOGS),
        (TaskType.CONDITION, None, TaskOutput.LOGS),
        (TaskType.SQL, None, TaskOutput.LOGS),
    ],
)
def test_definitions(task_type: TaskType, kind: RuntimeKind | None, output: TaskOutput) -> None:
    definition = definition_of(task_type)
    assert definition.runtime_kind is kind
    assert definition.output is output


def test_not_run_reasons_come_from_the_table() -> None:
    assert definition_of(TaskType.DASHBOARD).not_run_reason == (
        "brickyard does not run dashboard_task tasks yet"
    )
    assert definition_of(TaskType.CONDITION).evaluated_by_engine
    assert definition_of(TaskType.NOTEBOOK).not_run_reason == "notebook_task tasks are supported"


def test_task_output_of_stored_task_objects() -> None:
    assert task_output({"notebook_task": {"notebook_path": "/x"}}) is TaskOutput.NOTEBOOK_OUTPUT
    assert task_output({"spark_python_task": {"python_file": "x.py"}}) is TaskOutput.LOGS
    assert task_output({"quantum_task": {}}) is TaskOutput.LOGS


@pytest.mark.parametrize(
    "fields",
    [
        {"notebook_task": {"notebook_path": "nb.py"}},
        {"spark_python_task": {"python_file": "s.py"}},
        {"python_wheel_task": {"package_name": "p", "entry_point": "main"}},
    ],
)
def test_each_executor_writes_its_definitions_runtime_kind(
    runner: Any, job_dir: Path, fields: dict[str, Any]
) -> None:
    (job_dir / "nb.py").write_text("# Databricks notebook source\nprint(1)\n")
    (job_dir / "s.py").write_text("print(1)\n")
    request = runner.request({"task_key": "t", **fields})
    executor = runner.registry.executor_for(request.task)
    plan = executor.prepare(request)
    assert request.task.task_type is not None
    kind = definition_of(request.task.task_type).runtime_kind
    assert kind is not None
    assert read_runtime_spec(plan.process.runtime_spec).kind is kind
