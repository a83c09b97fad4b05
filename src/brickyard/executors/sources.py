"""Whether the files a job's tasks run exist, checked before a run (``brickyard validate``).

A task type's definition may carry a :data:`SourceCheck` (the notebook, the Python file, the
SQL file); the libraries every task process installs are checked here for all types that
run. Each check resolves its path with the very function its executor uses
(``Workspace.resolve_notebook``, ``compute.paths.resolve_local_path``), so validate looks in
the same places as a run and reports the same paths looked at.

Files of GIT-sourced tasks (``source: GIT``, or no ``source`` in a job with ``git_source``)
are not checked: they come from a checkout that does not exist before the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from brickyard.compute.paths import resolve_local_path
from brickyard.errors import InvalidInputError, NotFoundError, Problem
from brickyard.settings import Settings
from brickyard.spec import Library, Source, Task
from brickyard.workspace import Workspace


@dataclass(frozen=True)
class SourceLookup:
    """Where a job's files are looked for: brickyard's workspace, ``dbfs:/`` and
    ``/Volumes/`` roots (from ``settings``) and the job file's folder."""

    settings: Settings
    base_dir: Path | None
    """The job file's folder: relative paths resolve against it."""
    has_git_source: bool = False
    """Whether the job sets ``git_source`` (then a task without ``source`` reads from git)."""

    @cached_property
    def workspace(self) -> Workspace:
        """The workspace the executors resolve notebooks in."""
        return Workspace(self.settings.workspace_root)

    def from_git(self, source: Source | None) -> bool:
        """Whether a task file with this ``source`` comes from the job's git checkout."""
        if source is None:
            return self.has_git_source
        return source is Source.GIT

    def local_file(self, path: str) -> Path:
        """The file ``path`` names, as a Python file task or a library resolves it."""
        return resolve_local_path(
            path, base_dir=self.base_dir, settings=self.settings, workspace=self.workspace
        )


SourceCheck = Callable[[Task, SourceLookup], list[Problem]]
"""``(task, lookup) -> problems`` with paths relative to the task
(``notebook_task.notebook_path``)."""


def missing(path: str, find: Callable[[], object]) -> list[Problem]:
    """``[]`` when ``find()`` finds its file, else the problem it reports under ``path``."""
    try:
        find()
    except (NotFoundError, InvalidInputError) as error:
        return [Problem(path, str(error))]
    return []


def missing_libraries(task: Task, lookup: SourceLookup) -> list[Problem]:
    """The local wheel and requirements files of ``task``'s libraries that do not exist
    (URLs and index packages are left to the install)."""
    problems: list[Problem] = []
    for index, library in enumerate(task.libraries or ()):
        for field, path in _library_files(library):
            problems.extend(
                missing(f"libraries[{index}].{field}", partial(lookup.local_file, path))
            )
    return problems


def _library_files(library: Library) -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    if library.whl is not None and not library.whl.lower().startswith(("http://", "https://")):
        files.append(("whl", library.whl))
    if library.requirements is not None:
        files.append(("requirements", library.requirements))
    return files
