"""Copying local files and folders into the workspace (``brickyard workspace import``): every
clash is found before anything is copied, and one notebook per workspace path is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.workspace.layout import WorkspaceLayout, with_suffix, without_extension
from brickyard.workspace.notebook_files import NOTEBOOK_EXTENSIONS, is_notebook_extension
from brickyard.workspace.objects import WorkspaceConflictError
from brickyard.workspace.paths import normalize_workspace_path

# Folders and files that are build or editor debris, never workspace content.
_IMPORT_SKIPPED_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints"})


def import_path(
    layout: WorkspaceLayout, source: Path, destination: str, *, overwrite: bool = False
) -> list[str]:
    """Copy the local file or folder ``source`` to the workspace path ``destination``.

    A folder is copied recursively (``__pycache__`` and ``.ipynb_checkpoints`` skipped) and
    becomes the folder ``destination``. Notebooks keep their extension on disk and are
    addressed without it; a notebook imported to ``/x/nb`` from ``nb.py`` is stored as
    ``/x/nb.py``. Existing objects are replaced only with ``overwrite`` (else
    :class:`ConflictError`). Returns the workspace paths created, sorted.
    """
    source = Path(source)
    if not source.exists():
        raise NotFoundError(f"cannot import {source}: no such file or folder")
    normalized = normalize_workspace_path(destination)
    if source.is_dir():
        plan = [
            (file, layout.local_path(normalized).joinpath(*file.relative_to(source).parts))
            for file in _files_to_import(source)
        ]
    else:
        if normalized == "/":
            raise InvalidInputError(f"cannot import the file {source} as the workspace root")
        plan = [(source, _file_target(layout, source, normalized))]
    seen: dict[Path, Path] = {}
    for file, target in plan:
        key = without_extension(target) if is_notebook_extension(target) else target
        if key in seen:
            raise InvalidInputError(
                f"cannot import {source}: {seen[key]} and {file} would both become "
                f"{layout.workspace_path_of(key)!r}"
            )
        seen[key] = file
        _check_import_target(layout, target, overwrite=overwrite)
    created: list[str] = []
    for file, target in plan:
        _remove_same_notebook(layout, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
        created.append(layout.describe(target).path)
    if source.is_dir():
        layout.local_path(normalized).mkdir(parents=True, exist_ok=True)
    return sorted(created)


def _file_target(layout: WorkspaceLayout, source: Path, destination: str) -> Path:
    target = layout.local_path(destination)
    suffix = source.suffix.lower()
    if suffix in NOTEBOOK_EXTENSIONS and not target.name.lower().endswith(suffix):
        return with_suffix(target, source.suffix)
    return target


def _check_import_target(layout: WorkspaceLayout, target: Path, *, overwrite: bool) -> None:
    display = layout.workspace_path_of(target)
    for parent in target.relative_to(layout.root).parents:
        folder = layout.root / parent
        if folder != layout.root and folder.exists() and not folder.is_dir():
            raise InvalidInputError(
                f"cannot import to {display!r}: {layout.workspace_path_of(folder)!r} is a file"
            )
    if target.is_dir():
        raise WorkspaceConflictError(f"cannot import to {display!r}: it is a folder")
    clashes = [target] if target.exists() else []
    if is_notebook_extension(target):
        clashes += [
            other for other in layout.notebook_files(without_extension(target)) if other != target
        ]
    if clashes and not overwrite:
        raise WorkspaceConflictError(
            f"workspace object {display!r} already exists; import with overwrite to replace it"
        )


def _remove_same_notebook(layout: WorkspaceLayout, target: Path) -> None:
    # One notebook per workspace path: importing nb.ipynb over nb.py replaces nb.py.
    if is_notebook_extension(target):
        for other in layout.notebook_files(without_extension(target)):
            if other != target:
                other.unlink()


def _files_to_import(folder: Path) -> list[Path]:
    files: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name in _IMPORT_SKIPPED_NAMES:
            continue
        if entry.is_dir():
            files.extend(_files_to_import(entry))
        elif entry.is_file():
            files.append(entry)
    return files
