"""A directory-backed Databricks workspace: notebooks, files and folders under one root.

Workspace paths look like ``/ETL/01_Ingestion`` (``/Workspace/ETL/01_Ingestion`` is the same
object). Notebooks are stored on disk WITH their extension (``.py``, ``.sql``, ``.scala``,
``.r``, ``.ipynb``) and are addressed with or without it, as Databricks addresses them without.

The task runtime imports this package (``%run``), so it uses the standard library and
:mod:`brickyard.errors` only, and imports nothing heavy. How a file is recognised as a notebook
lives in :mod:`brickyard.workspace.notebook_files`, how a notebook splits into cells in
:mod:`brickyard.workspace.notebook_source`.
"""

from __future__ import annotations

import builtins
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from brickyard.errors import ConflictError, InvalidInputError, NotFoundError
from brickyard.workspace.notebook_files import (
    NOTEBOOK_EXTENSIONS,
    NotebookFormat,
    NotebookLanguage,
    classify_import,
    detect_notebook,
    has_source_header,
    is_jupyter_document,
    is_notebook_extension,
    is_notebook_object,
    jupyter_language,
    notebook_extension,
    source_header,
    strip_notebook_extension,
)
from brickyard.workspace.paths import (
    WORKSPACE_PREFIX,
    is_within,
    normalize_local,
    normalize_workspace_path,
    scheme_of,
)

__all__ = [
    "NOTEBOOK_EXTENSIONS",
    "WORKSPACE_PREFIX",
    "DirectoryNotEmptyError",
    "NotebookFormat",
    "NotebookLanguage",
    "ObjectType",
    "ResolvedNotebook",
    "Workspace",
    "WorkspaceConflictError",
    "WorkspaceObject",
    "WorkspacePathNotFoundError",
    "classify_import",
    "detect_notebook",
    "has_source_header",
    "is_jupyter_document",
    "is_notebook_extension",
    "is_notebook_object",
    "jupyter_language",
    "normalize_workspace_path",
    "notebook_extension",
    "source_header",
    "strip_notebook_extension",
]

_FILE_MODE = 0o644
"""Mode of notebooks and files written from content (not copied from a local file)."""


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


class ObjectType(StrEnum):
    """The kind of a workspace object (the Workspace API's ``object_type``)."""

    NOTEBOOK = "NOTEBOOK"
    """A notebook in source or Jupyter format."""
    FILE = "FILE"
    """Any other file."""
    DIRECTORY = "DIRECTORY"
    """A folder."""


# Folders and files that are build or editor debris, never workspace content.
_IMPORT_SKIPPED_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints"})


@dataclass(frozen=True)
class ResolvedNotebook:
    """A notebook found on disk, with what a runner needs to know about it."""

    file: Path
    """The absolute path of the notebook file (with its extension)."""
    workspace_path: str | None
    """The workspace path without extension (``/ETL/00_Validate``), or None when the notebook
    lives outside the workspace (a path relative to a job file, or an absolute file path)."""
    language: NotebookLanguage
    """The notebook's default language."""
    format: NotebookFormat
    """Source format or Jupyter."""


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


class Workspace:
    """A workspace stored in the folder ``root`` (created on first write)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()

    # -- paths ---------------------------------------------------------------------------

    def local_path(self, path: str) -> Path:
        """The on-disk location of the workspace path ``path`` (no extension added)."""
        normalized = normalize_workspace_path(path)
        return self.root.joinpath(*[part for part in normalized.split("/") if part])

    def workspace_path_of(self, file: Path) -> str | None:
        """The workspace path of the on-disk ``file`` as a listing shows it (notebooks without
        their extension), or None when it is outside the workspace root."""
        absolute = Path(file).absolute()
        if not is_within(absolute, self.root):
            return None
        if absolute.exists():
            return self._describe(absolute).path
        return "/" + "/".join(absolute.relative_to(self.root).parts)

    # -- resolution ----------------------------------------------------------------------

    def resolve_notebook(self, path: str, *, base_dir: Path | None = None) -> ResolvedNotebook:
        """Find the notebook ``path`` names.

        - ``/ETL/x`` and ``/Workspace/ETL/x``: the workspace, then (when absent there) the same
          path on the real filesystem;
        - ``./x``, ``../x``, ``x/y``: relative to ``base_dir`` (the job file's folder or the
          calling notebook's folder; the current directory when None);
        - ``file:/abs/x``: the real filesystem only.

        Each place is tried as given, then with ``.py``, ``.ipynb``, ``.sql``, ``.scala``,
        ``.r`` appended. Raises :class:`NotFoundError` naming the places looked at.
        """
        places = self._candidate_places(path, base_dir=base_dir, kind="notebook")
        looked_at: builtins.list[str] = []
        not_notebooks: builtins.list[Path] = []
        for place in places:
            for candidate in (
                place,
                *(self._with_suffix(place, ext) for ext in NOTEBOOK_EXTENSIONS),
            ):
                if not candidate.is_file():
                    continue
                detected = detect_notebook(candidate)
                if detected is None:
                    not_notebooks.append(candidate)
                    continue
                language, notebook_format = detected
                workspace_path = self.workspace_path_of(candidate)
                if workspace_path is not None:
                    # Addressed as a notebook, even a .py without the header drops its extension.
                    workspace_path = strip_notebook_extension(workspace_path)
                return ResolvedNotebook(
                    file=candidate.absolute(),
                    workspace_path=workspace_path,
                    language=language,
                    format=notebook_format,
                )
            looked_at.append(f"{place}[{'|'.join(NOTEBOOK_EXTENSIONS)}]")
        reason = f"notebook {path!r} not found; looked at {', '.join(looked_at)}"
        if not_notebooks:
            found = ", ".join(str(file) for file in not_notebooks)
            reason += f" (found {found}, which is not a notebook: no notebook extension or header)"
        raise NotFoundError(reason)

    def resolve_file(self, path: str, *, base_dir: Path | None = None) -> Path:
        """Find the file ``path`` names (a Python script, a wheel, ...), with the same path rules
        as :meth:`resolve_notebook` but no extension guessing. ``dbfs:/`` paths are not handled
        here. Raises :class:`NotFoundError` naming the places looked at."""
        places = self._candidate_places(path, base_dir=base_dir, kind="file")
        for place in places:
            if place.is_file():
                return place.absolute()
        looked_at = ", ".join(str(place) for place in places)
        raise NotFoundError(f"file {path!r} not found; looked at {looked_at}")

    def _candidate_places(
        self, path: str, *, base_dir: Path | None, kind: str
    ) -> builtins.list[Path]:
        if not path.strip():
            raise InvalidInputError(f"the {kind} path is empty")
        scheme = scheme_of(path)
        if scheme == "file":
            local = path[len("file:") :]
            if not local.startswith("/"):
                raise InvalidInputError(f"{kind} path {path!r}: file: paths must be absolute")
            return [Path(local)]
        if scheme is not None:
            raise InvalidInputError(
                f"{kind} path {path!r}: {scheme}: paths are not workspace or local file paths"
            )
        if path.startswith("/"):
            places = [self.local_path(path)]
            filesystem = Path(path)
            if filesystem != places[0]:
                places.append(filesystem)
            return places
        folder = Path(base_dir).absolute() if base_dir is not None else Path.cwd()
        resolved = Path(normalize_local(folder / path))
        if is_within(folder, self.root) and not is_within(resolved, self.root):
            raise InvalidInputError(
                f"{kind} path {path!r} relative to {folder} points outside the workspace root"
            )
        return [resolved]

    @staticmethod
    def _with_suffix(place: Path, extension: str) -> Path:
        return place.with_name(place.name + extension)

    # -- objects -------------------------------------------------------------------------

    def get_status(self, path: str) -> WorkspaceObject:
        """The object at ``path`` (a notebook addressed without its extension, a file, or a
        directory). Raises :class:`NotFoundError`."""
        normalized = normalize_workspace_path(path)
        if normalized == "/" and not self.root.is_dir():
            return WorkspaceObject(path="/", object_type=ObjectType.DIRECTORY)
        found = self._find_object(normalized)
        if found is None:
            raise WorkspacePathNotFoundError(normalized)
        return self._describe(found)

    def list(self, path: str) -> builtins.list[WorkspaceObject]:
        """The objects directly inside the folder ``path``, sorted by path; for a notebook or
        file, that object alone. Raises :class:`NotFoundError`."""
        normalized = normalize_workspace_path(path)
        if normalized == "/":
            if not self.root.is_dir():
                return []
            folder = self.root
        else:
            found = self._find_object(normalized)
            if found is None:
                raise WorkspacePathNotFoundError(normalized)
            if not found.is_dir():
                return [self._describe(found)]
            folder = found
        objects = [self._describe(child) for child in folder.iterdir()]
        return sorted(objects, key=lambda item: item.path)

    def mkdirs(self, path: str) -> None:
        """Create the folder ``path`` and its parents (nothing when it exists). Fails when a
        notebook or file is in the way."""
        normalized = normalize_workspace_path(path)
        target = self.local_path(normalized)
        self._check_folders(target, f"cannot create workspace folder {normalized!r}")
        target.mkdir(parents=True, exist_ok=True)

    def delete(self, path: str, *, recursive: bool = False) -> None:
        """Delete the notebook, file or folder ``path``; a non-empty folder only when
        ``recursive``. Raises :class:`NotFoundError` when it does not exist."""
        normalized = normalize_workspace_path(path)
        if normalized == "/":
            raise InvalidInputError("the workspace root cannot be deleted")
        found = self._find_object(normalized)
        if found is None:
            raise WorkspacePathNotFoundError(normalized)
        if found.is_dir():
            if any(found.iterdir()) and not recursive:
                raise DirectoryNotEmptyError(
                    f"workspace folder {normalized!r} is not empty; delete it recursively"
                )
            shutil.rmtree(found)
        else:
            found.unlink()

    def import_path(
        self, source: Path, destination: str, *, overwrite: bool = False
    ) -> builtins.list[str]:
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
                (file, self.local_path(normalized).joinpath(*file.relative_to(source).parts))
                for file in _files_to_import(source)
            ]
        else:
            if normalized == "/":
                raise InvalidInputError(f"cannot import the file {source} as the workspace root")
            plan = [(source, self._file_target(source, normalized))]
        seen: dict[Path, Path] = {}
        for file, target in plan:
            key = self._without_extension(target) if is_notebook_extension(target) else target
            if key in seen:
                raise InvalidInputError(
                    f"cannot import {source}: {seen[key]} and {file} would both become "
                    f"{self.workspace_path_of(key)!r}"
                )
            seen[key] = file
            self._check_import_target(target, overwrite=overwrite)
        created: builtins.list[str] = []
        for file, target in plan:
            self._remove_same_notebook(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
            created.append(self._describe(target).path)
        if source.is_dir():
            self.local_path(normalized).mkdir(parents=True, exist_ok=True)
        return sorted(created)

    def import_notebook(
        self,
        path: str,
        content: bytes,
        *,
        language: NotebookLanguage,
        notebook_format: NotebookFormat,
        overwrite: bool = False,
    ) -> WorkspaceObject:
        """Store ``content`` as the notebook ``path`` (the Workspace API's import).

        A notebook extension ending ``path`` is the storage extension (``/x/nb.py`` and ``/x/nb``
        both become the notebook ``/x/nb``). Source content lacking its language's header gets
        it, so the file is read back as a notebook; Jupyter content must be a JSON document with
        a ``cells`` list. Missing parent folders are created. An existing object at the same
        workspace path is replaced only with ``overwrite`` (else
        :class:`WorkspaceConflictError`); a folder never is.
        """
        normalized = self._importable(path)
        extension = notebook_extension(language, notebook_format)
        local = self.local_path(normalized)
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
        target = self._with_suffix(stem, extension)
        twins = [stem, *self._notebook_files(stem)]
        display = "/" + "/".join(stem.relative_to(self.root).parts)
        self._write_content(target, content, twins, display=display, overwrite=overwrite)
        return self._describe(target)

    def import_file(self, path: str, content: bytes, *, overwrite: bool = False) -> WorkspaceObject:
        """Store ``content`` as the plain file ``path``, with the rules of
        :meth:`import_notebook` (a notebook addressed by the same path is in the way)."""
        normalized = self._importable(path)
        target = self.local_path(normalized)
        twins = self._notebook_files(target)
        self._write_content(target, content, twins, display=normalized, overwrite=overwrite)
        return self._describe(target)

    def read(self, path: str) -> tuple[WorkspaceObject, Path]:
        """The notebook or file ``path`` and the file it is stored in (for an export).

        Raises :class:`WorkspacePathNotFoundError`, or :class:`InvalidInputError` for a folder.
        """
        normalized = normalize_workspace_path(path)
        found = self._find_object(normalized)
        if found is None:
            raise WorkspacePathNotFoundError(normalized)
        if found.is_dir():
            raise InvalidInputError(
                f"workspace path {normalized!r} is a folder: export its notebooks and files "
                "one by one"
            )
        return self._describe(found), found

    # -- helpers -------------------------------------------------------------------------

    def _importable(self, path: str) -> str:
        normalized = normalize_workspace_path(path)
        if normalized == "/":
            raise InvalidInputError("path: cannot import to the workspace root")
        return normalized

    def _check_folders(self, folder: Path, action: str) -> None:
        """Fail when a file or notebook is where ``folder`` or one of its parents would be."""
        current = self.root
        for part in folder.relative_to(self.root).parts:
            current = current / part
            if current.exists() and not current.is_dir():
                raise WorkspaceConflictError(
                    f"{action}: {self.workspace_path_of(current)!r} is a file"
                )
            if not current.exists() and self._stored_notebook(current) is not None:
                raise WorkspaceConflictError(
                    f"{action}: {self.workspace_path_of(current)!r} is a notebook"
                )

    def _write_content(
        self,
        target: Path,
        content: bytes,
        twins: builtins.list[Path],
        *,
        display: str,
        overwrite: bool,
    ) -> None:
        """Write ``target`` atomically after checking what is in the way; ``twins`` are other
        files the same workspace path (``display``) names, removed once the new content is in
        place."""
        self._check_folders(target.parent, f"cannot import to {display!r}")
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

    def _file_target(self, source: Path, destination: str) -> Path:
        target = self.local_path(destination)
        suffix = source.suffix.lower()
        if suffix in NOTEBOOK_EXTENSIONS and not target.name.lower().endswith(suffix):
            return self._with_suffix(target, source.suffix)
        return target

    def _check_import_target(self, target: Path, *, overwrite: bool) -> None:
        display = self.workspace_path_of(target)
        for parent in target.relative_to(self.root).parents:
            folder = self.root / parent
            if folder != self.root and folder.exists() and not folder.is_dir():
                raise InvalidInputError(
                    f"cannot import to {display!r}: {self.workspace_path_of(folder)!r} is a file"
                )
        if target.is_dir():
            raise WorkspaceConflictError(f"cannot import to {display!r}: it is a folder")
        clashes = [target] if target.exists() else []
        if is_notebook_extension(target):
            clashes += [
                other
                for other in self._notebook_files(self._without_extension(target))
                if other != target
            ]
        if clashes and not overwrite:
            raise WorkspaceConflictError(
                f"workspace object {display!r} already exists; import with overwrite to replace it"
            )

    def _remove_same_notebook(self, target: Path) -> None:
        # One notebook per workspace path: importing nb.ipynb over nb.py replaces nb.py.
        if is_notebook_extension(target):
            for other in self._notebook_files(self._without_extension(target)):
                if other != target:
                    other.unlink()

    @staticmethod
    def _without_extension(target: Path) -> Path:
        return target.with_name(strip_notebook_extension(target.name))

    def _notebook_files(self, stem: Path) -> builtins.list[Path]:
        files = [self._with_suffix(stem, extension) for extension in NOTEBOOK_EXTENSIONS]
        return [file for file in files if file.is_file() and is_notebook_object(file)]

    def _stored_notebook(self, place: Path) -> Path | None:
        notebooks = self._notebook_files(place)
        return notebooks[0] if notebooks else None

    def _find_object(self, normalized: str) -> Path | None:
        place = self.local_path(normalized)
        if place.exists():
            return place
        return self._stored_notebook(place)

    def _describe(self, found: Path) -> WorkspaceObject:
        relative = found.relative_to(self.root)
        path = "/" + "/".join(relative.parts)
        info = found.stat()
        modified_at = info.st_mtime_ns // 1_000_000
        # Linux has no creation time in os.stat; fall back to the modification time.
        birth = getattr(info, "st_birthtime", None)
        created_at = int(birth * 1000) if isinstance(birth, float) else modified_at
        if found.is_dir():
            object_type, language, size = ObjectType.DIRECTORY, None, None
        elif is_notebook_extension(found) and is_notebook_object(found):
            detected = detect_notebook(found)
            object_type, size = ObjectType.NOTEBOOK, None
            language = detected[0] if detected else NotebookLanguage.PYTHON
            path = strip_notebook_extension(path)
        else:
            object_type, language, size = ObjectType.FILE, None, info.st_size
        return WorkspaceObject(
            path=path,
            object_type=object_type,
            language=language,
            object_id=info.st_ino,
            size=size,
            created_at=created_at,
            modified_at=modified_at,
        )


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


def _files_to_import(folder: Path) -> builtins.list[Path]:
    files: builtins.list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name in _IMPORT_SKIPPED_NAMES:
            continue
        if entry.is_dir():
            files.extend(_files_to_import(entry))
        elif entry.is_file():
            files.append(entry)
    return files
