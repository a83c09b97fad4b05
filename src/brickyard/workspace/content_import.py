"""Storing uploaded content as a notebook or file (the Workspace API's import): a source
notebook gets its language's header, the file is written atomically, and whatever else the same
workspace path names is in the way unless ``overwrite``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from brickyard.errors import InvalidInputError
from brickyard.workspace.layout import WorkspaceLayout, with_suffix
from brickyard.workspace.notebook_files import (
    NotebookFormat,
    NotebookLanguage,
    is_jupyter_document,
    notebook_extension,
    source_header,
    strip_notebook_extension,
)
from brickyard.workspace.objects import WorkspaceConflictError, WorkspaceObject
from brickyard.workspace.paths import normalize_workspace_path

_FILE_MODE = 0o644
"""Mode of notebooks and files written from content (not copied from a local file)."""


def import_notebook(
    layout: WorkspaceLayout,
    path: str,
    content: bytes,
    *,
    language: NotebookLanguage,
    notebook_format: NotebookFormat,
    overwrite: bool = False,
) -> WorkspaceObject:
    """Store ``content`` as the notebook ``path``.

    A notebook extension ending ``path`` is the storage extension (``/x/nb.py`` and ``/x/nb``
    both become the notebook ``/x/nb``). Source content lacking its language's header gets
    it, so the file is read back as a notebook; Jupyter content must be a JSON document with
    a ``cells`` list. Missing parent folders are created. An existing object at the same
    workspace path is replaced only with ``overwrite`` (else
    :class:`WorkspaceConflictError`); a folder never is.
    """
    normalized = _importable(path)
    extension = notebook_extension(language, notebook_format)
    local = layout.local_path(normalized)
    stem = local.with_name(strip_notebook_extension(local.name))
    if notebook_format is NotebookFormat.JUPYTER:
        if not is_jupyter_document(content):
            raise InvalidInputError(
                "content: not a Jupyter notebook (expected a JSON object with a 'cells' list)"
            )
    else:
        header = source_header(language)
        # A byte-order mark would hide the header from the first-line check on disk.
        content = content.removeprefix(b"\xef\xbb\xbf")
        if content.split(b"\n", 1)[0].strip() != header.encode():
            content = f"{header}\n".encode() + content
    if stem == local or not local.name.lower().endswith(extension):
        stem = local  # /x/nb.sql imported as Python is the notebook /x/nb.sql
    target = with_suffix(stem, extension)
    twins = [stem, *layout.notebook_files(stem)]
    display = layout.display_path(stem)
    _write_content(layout, target, content, twins, display=display, overwrite=overwrite)
    return layout.describe(target)


def import_file(
    layout: WorkspaceLayout, path: str, content: bytes, *, overwrite: bool = False
) -> WorkspaceObject:
    """Store ``content`` as the plain file ``path``, with the rules of :func:`import_notebook`
    (a notebook addressed by the same path is in the way)."""
    normalized = _importable(path)
    target = layout.local_path(normalized)
    twins = layout.notebook_files(target)
    _write_content(layout, target, content, twins, display=normalized, overwrite=overwrite)
    return layout.describe(target)


def _importable(path: str) -> str:
    normalized = normalize_workspace_path(path)
    if normalized == "/":
        raise InvalidInputError("path: cannot import to the workspace root")
    return normalized


def _write_content(
    layout: WorkspaceLayout,
    target: Path,
    content: bytes,
    twins: list[Path],
    *,
    display: str,
    overwrite: bool,
) -> None:
    """Write ``target`` atomically after checking what is in the way; ``twins`` are other
    files the same workspace path (``display``) names, removed once the new content is in
    place."""
    layout.check_folders(target.parent, f"cannot import to {display!r}")
    in_the_way = [file for file in dict.fromkeys([target, *twins]) if file.exists()]
    if any(file.is_dir() for file in in_the_way):
        raise WorkspaceConflictError(f"cannot import to {display!r}: it is a folder")
    if in_the_way and not overwrite:
        raise WorkspaceConflictError(
            f"{display} already exists; import with overwrite to replace it"
        )
    _write_atomic(target, content)
    for twin in twins:
        if twin != target and twin.is_file():
            twin.unlink()


def _write_atomic(target: Path, content: bytes) -> None:
    # A task may read the notebook while it is replaced: it sees the old one or the new one.
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
