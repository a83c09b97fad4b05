"""Storing uploaded content as a notebook or file
(:mod:`brickyard.workspace.content_import`, through :class:`Workspace`)."""

from __future__ import annotations

import pytest

from brickyard.errors import ConflictError, InvalidInputError
from brickyard.workspace import (
    NotebookFormat,
    NotebookLanguage,
    ObjectType,
    Workspace,
    WorkspaceConflictError,
    WorkspaceObject,
)
from support.workspace_files import PY_HEADER, ipynb


def test_import_notebook_stores_one_notebook_with_its_header(workspace: Workspace) -> None:
    scala = workspace.import_notebook(
        "/Workspace/x/job",
        b"println(1)\n",
        language=NotebookLanguage.SCALA,
        notebook_format=NotebookFormat.SOURCE,
    )
    assert scala == WorkspaceObject("/x/job", ObjectType.NOTEBOOK, NotebookLanguage.SCALA)
    assert (workspace.root / "x" / "job.scala").read_bytes() == (
        b"// Databricks notebook source\nprintln(1)\n"
    )
    kept = workspace.import_notebook(
        "/x/py.py",
        PY_HEADER.encode() + b"x = 1\n",
        language=NotebookLanguage.PYTHON,
        notebook_format=NotebookFormat.SOURCE,
    )
    assert kept.path == "/x/py"
    assert (workspace.root / "x" / "py.py").read_text() == PY_HEADER + "x = 1\n"
    r_notebook = workspace.import_notebook(
        "/x/model.R", b"x <- 1", language=NotebookLanguage.R, notebook_format=NotebookFormat.SOURCE
    )
    assert r_notebook.path == "/x/model" and (workspace.root / "x" / "model.r").is_file()
    other = workspace.import_notebook(
        "/x/q.sql", b"1", language=NotebookLanguage.PYTHON, notebook_format=NotebookFormat.SOURCE
    )
    assert other.path == "/x/q.sql" and (workspace.root / "x" / "q.sql.py").is_file()

    with pytest.raises(ConflictError, match="/x/job already exists"):
        workspace.import_notebook(
            "/x/job",
            ipynb().encode(),
            language=NotebookLanguage.PYTHON,
            notebook_format=NotebookFormat.JUPYTER,
        )
    replaced = workspace.import_notebook(
        "/x/job",
        ipynb().encode(),
        language=NotebookLanguage.PYTHON,
        notebook_format=NotebookFormat.JUPYTER,
        overwrite=True,
    )
    assert replaced == WorkspaceObject("/x/job", ObjectType.NOTEBOOK, NotebookLanguage.PYTHON)
    assert not (workspace.root / "x" / "job.scala").exists()
    assert workspace.resolve_notebook("/x/job").format is NotebookFormat.JUPYTER
    with pytest.raises(InvalidInputError, match="not a Jupyter notebook"):
        workspace.import_notebook(
            "/x/bad",
            b"{}",
            language=NotebookLanguage.PYTHON,
            notebook_format=NotebookFormat.JUPYTER,
        )
    assert list(workspace.root.glob("x/.*")) == []  # no temporary file left behind


def test_import_file_and_notebook_at_the_same_path_clash(workspace: Workspace) -> None:
    workspace.import_notebook(
        "/a/nb", b"1", language=NotebookLanguage.PYTHON, notebook_format=NotebookFormat.SOURCE
    )
    with pytest.raises(WorkspaceConflictError, match="/a/nb already exists"):
        workspace.import_file("/a/nb", b"plain")
    item = workspace.import_file("/a/nb", b"plain", overwrite=True)
    assert (item.object_type, item.size) == (ObjectType.FILE, 5)
    assert not (workspace.root / "a" / "nb.py").exists()
    with pytest.raises(WorkspaceConflictError, match="/a/nb already exists"):
        workspace.import_notebook(
            "/a/nb", b"1", language=NotebookLanguage.PYTHON, notebook_format=NotebookFormat.SOURCE
        )
    with pytest.raises(WorkspaceConflictError, match="'/a/nb' is a file"):
        workspace.import_file("/a/nb/inner.txt", b"x")
    with pytest.raises(WorkspaceConflictError, match="it is a folder"):
        workspace.import_file("/a", b"x", overwrite=True)
    with pytest.raises(InvalidInputError, match="workspace root"):
        workspace.import_file("/Workspace", b"x")


def test_a_byte_order_mark_does_not_hide_the_header(workspace: Workspace) -> None:
    content = b"\xef\xbb\xbf" + PY_HEADER.encode() + b"x = 1\n"
    item = workspace.import_notebook(
        "/bom", content, language=NotebookLanguage.PYTHON, notebook_format=NotebookFormat.SOURCE
    )
    assert item.object_type == ObjectType.NOTEBOOK
    assert (workspace.root / "bom.py").read_bytes() == PY_HEADER.encode() + b"x = 1\n"
