"""The :class:`Workspace`: one object over a workspace folder that the executors, the runtime,
the API and the CLI hold, each method handing over to the module doing that job."""

from __future__ import annotations

import builtins
from pathlib import Path

from brickyard.workspace import content_import, folder_import, resolution, tree
from brickyard.workspace.layout import WorkspaceLayout
from brickyard.workspace.notebook_files import NotebookFormat, NotebookLanguage
from brickyard.workspace.objects import WorkspaceObject
from brickyard.workspace.resolution import ResolvedNotebook


class Workspace:
    """A workspace stored in the folder ``root`` (created on first write).

    Where each job is done: paths and stored files in :mod:`~brickyard.workspace.layout`,
    notebook and file resolution in :mod:`~brickyard.workspace.resolution`, status, listing,
    folders and deletion in :mod:`~brickyard.workspace.tree`, imports in
    :mod:`~brickyard.workspace.folder_import` (local files) and
    :mod:`~brickyard.workspace.content_import` (uploaded content).
    """

    def __init__(self, root: Path) -> None:
        self._layout = WorkspaceLayout(Path(root).absolute())

    @property
    def root(self) -> Path:
        """The absolute folder the workspace lives in."""
        return self._layout.root

    def local_path(self, path: str) -> Path:
        """The on-disk location of the workspace path ``path`` (no extension added)."""
        return self._layout.local_path(path)

    def workspace_path_of(self, file: Path) -> str | None:
        """The workspace path of the on-disk ``file`` as a listing shows it (notebooks without
        their extension), or None when it is outside the workspace root."""
        return self._layout.workspace_path_of(file)

    def resolve_notebook(self, path: str, *, base_dir: Path | None = None) -> ResolvedNotebook:
        """Find the notebook ``path`` names, in the workspace, relative to ``base_dir`` or on
        the filesystem (:func:`~brickyard.workspace.resolution.resolve_notebook`)."""
        return resolution.resolve_notebook(self._layout, path, base_dir=base_dir)

    def resolve_file(self, path: str, *, base_dir: Path | None = None) -> Path:
        """Find the file ``path`` names, with the notebook path rules but no extension guessing
        (:func:`~brickyard.workspace.resolution.resolve_file`)."""
        return resolution.resolve_file(self._layout, path, base_dir=base_dir)

    def get_status(self, path: str) -> WorkspaceObject:
        """The object at ``path`` (:func:`~brickyard.workspace.tree.get_status`)."""
        return tree.get_status(self._layout, path)

    def list(self, path: str) -> builtins.list[WorkspaceObject]:
        """The objects directly inside the folder ``path``, sorted by path; for a notebook or
        file, that object alone (:func:`~brickyard.workspace.tree.list_objects`)."""
        return tree.list_objects(self._layout, path)

    def mkdirs(self, path: str) -> None:
        """Create the folder ``path`` and its parents
        (:func:`~brickyard.workspace.tree.make_folders`)."""
        tree.make_folders(self._layout, path)

    def delete(self, path: str, *, recursive: bool = False) -> None:
        """Delete the notebook, file or folder ``path``; a non-empty folder only when
        ``recursive`` (:func:`~brickyard.workspace.tree.delete_object`)."""
        tree.delete_object(self._layout, path, recursive=recursive)

    def read(self, path: str) -> tuple[WorkspaceObject, Path]:
        """The notebook or file ``path`` and the file it is stored in, for an export
        (:func:`~brickyard.workspace.tree.read_object`)."""
        return tree.read_object(self._layout, path)

    def import_path(
        self, source: Path, destination: str, *, overwrite: bool = False
    ) -> builtins.list[str]:
        """Copy the local file or folder ``source`` to ``destination``; returns the workspace
        paths created (:func:`~brickyard.workspace.folder_import.import_path`)."""
        return folder_import.import_path(self._layout, source, destination, overwrite=overwrite)

    def import_notebook(
        self,
        path: str,
        content: bytes,
        *,
        language: NotebookLanguage,
        notebook_format: NotebookFormat,
        overwrite: bool = False,
    ) -> WorkspaceObject:
        """Store ``content`` as the notebook ``path``
        (:func:`~brickyard.workspace.content_import.import_notebook`)."""
        return content_import.import_notebook(
            self._layout,
            path,
            content,
            language=language,
            notebook_format=notebook_format,
            overwrite=overwrite,
        )

    def import_file(self, path: str, content: bytes, *, overwrite: bool = False) -> WorkspaceObject:
        """Store ``content`` as the plain file ``path``
        (:func:`~brickyard.workspace.content_import.import_file`)."""
        return content_import.import_file(self._layout, path, content, overwrite=overwrite)
