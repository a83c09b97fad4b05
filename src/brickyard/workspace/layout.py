"""How the workspace lies on disk: workspace paths to files under the root and back, which file
holds a notebook addressed without its extension, and what a stored file is as a workspace
object. Every other workspace module reads the tree through this one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from brickyard.workspace.notebook_files import (
    NOTEBOOK_EXTENSIONS,
    NotebookLanguage,
    detect_notebook,
    is_notebook_extension,
    is_notebook_object,
    strip_notebook_extension,
)
from brickyard.workspace.objects import ObjectType, WorkspaceConflictError, WorkspaceObject
from brickyard.workspace.paths import is_within, normalize_workspace_path


@dataclass(frozen=True)
class WorkspaceLayout:
    """The workspace stored in the folder ``root`` (an absolute path; created on first write)."""

    root: Path
    """The absolute folder the workspace lives in."""

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
            return self.describe(absolute).path
        return self.display_path(absolute)

    def display_path(self, place: Path) -> str:
        """The workspace path of ``place`` under the root, spelled as it is on disk."""
        return "/" + "/".join(place.relative_to(self.root).parts)

    def find_object(self, normalized: str) -> Path | None:
        """The file or folder the normalized workspace path names (a notebook found without
        its extension), or None."""
        place = self.local_path(normalized)
        if place.exists():
            return place
        return self.stored_notebook(place)

    def notebook_files(self, stem: Path) -> list[Path]:
        """The notebooks stored as ``stem`` plus a notebook extension, in extension order."""
        files = [with_suffix(stem, extension) for extension in NOTEBOOK_EXTENSIONS]
        return [file for file in files if file.is_file() and is_notebook_object(file)]

    def stored_notebook(self, place: Path) -> Path | None:
        """The file of the notebook addressed as ``place`` (without extension), or None."""
        notebooks = self.notebook_files(place)
        return notebooks[0] if notebooks else None

    def check_folders(self, folder: Path, action: str) -> None:
        """Fail when a file or notebook is where ``folder`` or one of its parents would be."""
        current = self.root
        for part in folder.relative_to(self.root).parts:
            current = current / part
            if current.exists() and not current.is_dir():
                raise WorkspaceConflictError(
                    f"{action}: {self.workspace_path_of(current)!r} is a file"
                )
            if not current.exists() and self.stored_notebook(current) is not None:
                raise WorkspaceConflictError(
                    f"{action}: {self.workspace_path_of(current)!r} is a notebook"
                )

    def describe(self, found: Path) -> WorkspaceObject:
        """The workspace object the existing file or folder ``found`` is."""
        path = self.display_path(found)
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


def with_suffix(place: Path, extension: str) -> Path:
    """``place`` with ``extension`` appended to its name (``nb`` -> ``nb.py``, ``a.b`` ->
    ``a.b.py``), unlike :meth:`Path.with_suffix`, which would replace ``.b``."""
    return place.with_name(place.name + extension)


def without_extension(target: Path) -> Path:
    """``target`` without its notebook extension (the path its notebook is addressed by)."""
    return target.with_name(strip_notebook_extension(target.name))
