"""What a workspace holds, in the Workspace API's words: the kinds of object, one listing entry,
and the errors about objects (each carrying the Databricks error code the API answers with)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from brickyard.errors import ConflictError, InvalidInputError, NotFoundError
from brickyard.workspace.notebook_files import NotebookLanguage


class ObjectType(StrEnum):
    """The kind of a workspace object (the Workspace API's ``object_type``)."""

    NOTEBOOK = "NOTEBOOK"
    """A notebook in source or Jupyter format."""
    FILE = "FILE"
    """Any other file."""
    DIRECTORY = "DIRECTORY"
    """A folder."""


@dataclass(frozen=True)
class WorkspaceObject:
    """One entry of a workspace listing.

    The fields after ``language`` describe the stored file and take no part in comparisons.
    """

    path: str
    """Workspace path; notebooks without their extension, files with their full name."""
    object_type: ObjectType
    """Notebook, file or directory."""
    language: NotebookLanguage | None = None
    """The notebook's language; None for files and directories."""
    object_id: int | None = field(default=None, compare=False)
    """A number naming the object while it exists (its inode)."""
    size: int | None = field(default=None, compare=False)
    """Size in bytes, for files only (as the Workspace API reports it)."""
    created_at: int | None = field(default=None, compare=False)
    """Creation time (epoch ms) where the filesystem records it, else the modification time."""
    modified_at: int | None = field(default=None, compare=False)
    """Last modification time (epoch ms)."""


class WorkspacePathNotFoundError(NotFoundError):
    """A workspace path names no notebook, file or folder (the Workspace API answers 404
    ``RESOURCE_DOES_NOT_EXIST``)."""

    error_code = "RESOURCE_DOES_NOT_EXIST"

    def __init__(self, path: str) -> None:
        super().__init__(f"workspace path {path!r} does not exist")
        self.path = path
        """The normalized workspace path."""


class DirectoryNotEmptyError(InvalidInputError):
    """A folder with content was to be deleted without ``recursive`` (Databricks answers
    ``DIRECTORY_NOT_EMPTY``)."""

    error_code = "DIRECTORY_NOT_EMPTY"


class WorkspaceConflictError(ConflictError, InvalidInputError):
    """An object is in the way of a new folder, notebook or file (``RESOURCE_ALREADY_EXISTS``;
    still bad input for the CLI)."""

    http_status = 400  # the Workspace API answers RESOURCE_ALREADY_EXISTS with 400, not 409
