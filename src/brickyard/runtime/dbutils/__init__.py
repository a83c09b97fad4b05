"""``dbutils`` for brickyard task processes: widgets, notebook, jobs, secrets, fs, library."""

from __future__ import annotations

from brickyard.runtime.context import TaskContext
from brickyard.runtime.dbutils.fs import FileInfo, FsUtils
from brickyard.runtime.dbutils.jobs import JobsUtils, TaskValuesUtils
from brickyard.runtime.dbutils.library import LibraryUtils
from brickyard.runtime.dbutils.notebook import NotebookUtils
from brickyard.runtime.dbutils.secrets import SecretMetadata, SecretScope, SecretsUtils
from brickyard.runtime.dbutils.widgets import WidgetsUtils

__all__ = [
    "DBUtils",
    "FileInfo",
    "FsUtils",
    "JobsUtils",
    "LibraryUtils",
    "NotebookUtils",
    "SecretMetadata",
    "SecretScope",
    "SecretsUtils",
    "TaskValuesUtils",
    "WidgetsUtils",
]


class DBUtils:
    """The ``dbutils`` object notebooks, scripts and wheel code see."""

    def __init__(self, context: TaskContext) -> None:
        self.context = context
        spec = context.spec
        notebook = spec.notebook if spec is not None else None
        self.widgets = WidgetsUtils(notebook.widgets if notebook is not None else None)
        self.notebook = NotebookUtils(context)
        self.jobs = JobsUtils(context)
        self.secrets = SecretsUtils(context)
        self.fs = FsUtils(context)
        self.library = LibraryUtils()

    def __repr__(self) -> str:
        return "<brickyard dbutils: widgets, notebook, jobs.taskValues, secrets, fs, library>"
