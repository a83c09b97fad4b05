"""Whether a Python file task's file exists (``brickyard validate``)."""

from __future__ import annotations

from functools import partial

from brickyard.errors import Problem
from brickyard.executors.sources import SourceLookup, missing
from brickyard.spec import Task


def python_file_sources(task: Task, lookup: SourceLookup) -> list[Problem]:
    """``python_file``, looked for as
    :class:`~brickyard.executors.python_script.PythonScriptExecutor` resolves it."""
    python_task = task.spark_python_task
    if python_task is None or lookup.from_git(python_task.source):
        return []
    return missing(
        "spark_python_task.python_file", partial(lookup.local_file, python_task.python_file)
    )
