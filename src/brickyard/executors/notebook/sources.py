"""Whether a notebook task's notebook exists (``brickyard validate``)."""

from __future__ import annotations

from functools import partial

from brickyard.errors import Problem
from brickyard.executors.sources import SourceLookup, missing
from brickyard.spec import Task


def notebook_sources(task: Task, lookup: SourceLookup) -> list[Problem]:
    """The notebook, looked for as :class:`~brickyard.executors.notebook.NotebookExecutor`
    resolves it."""
    notebook_task = task.notebook_task
    if notebook_task is None or lookup.from_git(notebook_task.source):
        return []
    find = partial(
        lookup.workspace.resolve_notebook, notebook_task.notebook_path, base_dir=lookup.base_dir
    )
    return missing("notebook_task.notebook_path", find)
