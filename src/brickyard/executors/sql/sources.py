"""Whether a SQL file task's file exists (``brickyard validate``).

brickyard does not run SQL tasks yet; the file is resolved with the rules of every other task
file (workspace, the job file's folder, ``dbfs:/``, ``/Volumes/``), so a wrong path is known
before SQL tasks run.
"""

from __future__ import annotations

from functools import partial

from brickyard.errors import Problem
from brickyard.executors.sources import SourceLookup, missing
from brickyard.spec import Task


def sql_file_sources(task: Task, lookup: SourceLookup) -> list[Problem]:
    """``sql_task.file.path``, when the task runs a file."""
    sql_task = task.sql_task
    if sql_task is None or sql_task.file is None or lookup.from_git(sql_task.file.source):
        return []
    return missing("sql_task.file.path", partial(lookup.local_file, sql_task.file.path))
