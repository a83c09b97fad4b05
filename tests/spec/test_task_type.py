"""TaskType: one member per Task field, found from a stored task object."""

from __future__ import annotations

from brickyard.spec import TASK_TYPE_FIELDS, Task, TaskType


def test_one_member_per_task_type_field_of_task() -> None:
    task_fields = {name for name in Task.model_fields if name.endswith("_task")}
    assert {task_type.value for task_type in TaskType} == task_fields
    assert tuple(task_type.value for task_type in TaskType) == TASK_TYPE_FIELDS


def test_of_fields_finds_the_first_known_type_that_is_set() -> None:
    assert TaskType.of_fields({"notebook_task": {"notebook_path": "/x"}}) is TaskType.NOTEBOOK
    assert TaskType.of_fields({"sql_task": None, "dbt_task": {}}) is TaskType.DBT
    assert TaskType.of_fields({"quantum_task": {}}) is None
    assert TaskType.of_fields({}) is None


def test_task_type_of_a_task_is_the_enum() -> None:
    task = Task.model_validate(
        {"task_key": "t", "python_wheel_task": {"package_name": "p", "entry_point": "m"}}
    )
    assert task.task_type is TaskType.PYTHON_WHEEL
    assert TaskType.of_fields(task.to_api()) is task.task_type
