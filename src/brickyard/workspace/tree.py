"""Reading and shaping the workspace tree: an object's status, a folder's listing, creating
folders, deleting objects, and the stored file of a notebook or file for an export."""

from __future__ import annotations

import shutil
from pathlib import Path

from brickyard.errors import InvalidInputError
from brickyard.workspace.layout import WorkspaceLayout
from brickyard.workspace.objects import (
    DirectoryNotEmptyError,
    ObjectType,
    WorkspaceObject,
    WorkspacePathNotFoundError,
)
from brickyard.workspace.paths import normalize_workspace_path


def get_status(layout: WorkspaceLayout, path: str) -> WorkspaceObject:
    """The object at ``path`` (a notebook addressed without its extension, a file, or a
    directory). Raises :class:`WorkspacePathNotFoundError`."""
    normalized = normalize_workspace_path(path)
    if normalized == "/" and not layout.root.is_dir():
        return WorkspaceObject(path="/", object_type=ObjectType.DIRECTORY)
    return layout.describe(_existing(layout, normalized))


def list_objects(layout: WorkspaceLayout, path: str) -> list[WorkspaceObject]:
    """The objects directly inside the folder ``path``, sorted by path; for a notebook or
    file, that object alone. Raises :class:`WorkspacePathNotFoundError`."""
    normalized = normalize_workspace_path(path)
    if normalized == "/":
        if not layout.root.is_dir():
            return []
        folder = layout.root
    else:
        found = _existing(layout, normalized)
        if not found.is_dir():
            return [layout.describe(found)]
        folder = found
    objects = [layout.describe(child) for child in folder.iterdir()]
    return sorted(objects, key=lambda item: item.path)


def make_folders(layout: WorkspaceLayout, path: str) -> None:
    """Create the folder ``path`` and its parents (nothing when it exists). Fails when a
    notebook or file is in the way."""
    normalized = normalize_workspace_path(path)
    target = layout.local_path(normalized)
    layout.check_folders(target, f"cannot create workspace folder {normalized!r}")
    target.mkdir(parents=True, exist_ok=True)


def delete_object(layout: WorkspaceLayout, path: str, *, recursive: bool = False) -> None:
    """Delete the notebook, file or folder ``path``; a non-empty folder only when
    ``recursive``. Raises :class:`WorkspacePathNotFoundError` when it does not exist."""
    normalized = normalize_workspace_path(path)
    if normalized == "/":
        raise InvalidInputError("the workspace root cannot be deleted")
    found = _existing(layout, normalized)
    if found.is_dir():
        if any(found.iterdir()) and not recursive:
            raise DirectoryNotEmptyError(
                f"workspace folder {normalized!r} is not empty; delete it recursively"
            )
        shutil.rmtree(found)
    else:
        found.unlink()


def read_object(layout: WorkspaceLayout, path: str) -> tuple[WorkspaceObject, Path]:
    """The notebook or file ``path`` and the file it is stored in (for an export).

    Raises :class:`WorkspacePathNotFoundError`, or :class:`InvalidInputError` for a folder.
    """
    normalized = normalize_workspace_path(path)
    found = _existing(layout, normalized)
    if found.is_dir():
        raise InvalidInputError(
            f"workspace path {normalized!r} is a folder: export its notebooks and files one by one"
        )
    return layout.describe(found), found


def _existing(layout: WorkspaceLayout, normalized: str) -> Path:
    found = layout.find_object(normalized)
    if found is None:
        raise WorkspacePathNotFoundError(normalized)
    return found
