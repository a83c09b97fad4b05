"""Every task of job settings with its field path, the nested task of a ``for_each_task``
included, for checks that report problems by path."""

from __future__ import annotations

from collections.abc import Iterator

from brickyard.spec.job import JobSettings
from brickyard.spec.tasks import Task


def tasks_with_paths(settings: JobSettings) -> Iterator[tuple[str, Task]]:
    """``("tasks[0]", task)``, then ``("tasks[0].for_each_task.task", nested)`` when task 0
    is a for-each task, and so on in definition order."""
    for index, task in enumerate(settings.tasks or ()):
        path = f"tasks[{index}]"
        yield path, task
        if task.for_each_task is not None:
            # validation refuses a for-each inside a for-each, so one level is all there is
            yield f"{path}.for_each_task.task", task.for_each_task.task
