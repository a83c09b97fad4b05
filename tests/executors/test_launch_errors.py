"""The one translation of input errors into failed launches."""

from __future__ import annotations

import pytest

from brickyard.errors import InvalidInputError, NotFoundError, TaskLaunchError
from brickyard.executors.launch_errors import launch_errors, missing_task_object
from brickyard.spec import Task, TaskType


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFoundError("no such notebook"), "RESOURCE_NOT_FOUND"),
        (InvalidInputError("not a path"), "INVALID_RUN_CONFIGURATION"),
    ],
)
def test_input_errors_become_launch_errors(error: Exception, code: str) -> None:
    with pytest.raises(TaskLaunchError) as raised, launch_errors():
        raise error
    assert raised.value.termination_code == code
    assert str(raised.value) == str(error)
    assert raised.value.__cause__ is error


def test_other_errors_pass_through() -> None:
    with pytest.raises(KeyError), launch_errors():
        raise KeyError("x")


def test_missing_task_object_names_the_type() -> None:
    task = Task.model_validate({"task_key": "t", "sql_task": {"warehouse_id": "w"}})
    error = missing_task_object(task, TaskType.NOTEBOOK)
    assert str(error) == "task 't' has no notebook_task"
    assert error.termination_code == "INVALID_RUN_CONFIGURATION"
