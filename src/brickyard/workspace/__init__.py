"""A directory-backed Databricks workspace: notebooks, files and folders under one root.

Workspace paths look like ``/ETL/01_Ingestion`` (``/Workspace/ETL/01_Ingestion`` is the same
object). Notebooks are stored on disk WITH their extension (``.py``, ``.sql``, ``.scala``,
``.r``, ``.ipynb``) and are addressed with or without it, as Databricks addresses them without.

The task runtime imports this package (``%run``), so it uses the standard library and
:mod:`brickyard.errors` only, and imports nothing heavy. This module only names the public
surface; :class:`Workspace` (in :mod:`brickyard.workspace.store`) hands each call to the module
with that job: path rules in :mod:`~brickyard.workspace.paths`, notebook recognition in
:mod:`~brickyard.workspace.notebook_files`, the on-disk layout in
:mod:`~brickyard.workspace.layout`, object kinds and errors in
:mod:`~brickyard.workspace.objects`, resolution in :mod:`~brickyard.workspace.resolution`,
status, listing, folders and deletion in :mod:`~brickyard.workspace.tree`, imports in
:mod:`~brickyard.workspace.folder_import` and :mod:`~brickyard.workspace.content_import`, and
how a notebook splits into cells in :mod:`~brickyard.workspace.notebook_source`.
"""

from __future__ import annotations

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
from brickyard.workspace.objects import (
    DirectoryNotEmptyError,
    ObjectType,
    WorkspaceConflictError,
    WorkspaceObject,
    WorkspacePathNotFoundError,
)
from brickyard.workspace.paths import WORKSPACE_PREFIX, normalize_workspace_path
from brickyard.workspace.resolution import ResolvedNotebook
from brickyard.workspace.store import Workspace

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
