"""The one translation of a missing or invalid task input into a failed launch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from brickyard.errors import InvalidInputError, NotFoundError, TaskLaunchError
from brickyard.spec import Task, TaskType


@contextmanager
def launch_errors() -> Iterator[None]:
    """Turn a :class:`NotFoundError` into ``RESOURCE_NOT_FOUND`` and an
    :class:`InvalidInputError` into ``INVALID_RUN_CONFIGURATION`` launch failures."""
    try:
        yield
    except NotFoundError as exc:
        raise TaskLaunchError(str(exc), termination_code="RESOURCE_NOT_FOUND") from exc
    except InvalidInputError as exc:
        raise TaskLaunchError(str(exc), termination_code="INVALID_RUN_CONFIGURATION") from exc


def missing_task_object(task: Task, task_type: TaskType) -> TaskLaunchError:
    """The error for an executor handed a task of another type."""
    return TaskLaunchError(
        f"task {task.task_key!r} has no {task_type.value}",
        termination_code="INVALID_RUN_CONFIGURATION",
    )
