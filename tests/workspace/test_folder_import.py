"""Copying local files and folders into the workspace
(:mod:`brickyard.workspace.folder_import`, through :class:`Workspace`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.errors import ConflictError, InvalidInputError, NotFoundError
from brickyard.workspace import (
    NotebookFormat,
    NotebookLanguage,
    ObjectType,
    Workspace,
    WorkspaceObject,
)
from support.workspace_files import PY_HEADER, ipynb, make_project, write


def test_import_folder_and_list(tmp_path: Path, workspace: Workspace) -> None:
    project = make_project(tmp_path)
    created = workspace.import_path(project, "/Workspace/Repo")
    assert created == [
        "/Repo/ETL/00_Validate",
        "/Repo/ETL/config.json",
        "/Repo/ETL/explore",
        "/Repo/ETL/report",
        "/Repo/lib/helpers.py",
    ]
    assert (workspace.root / "Repo" / "ETL" / "00_Validate.py").is_file()
    assert not (workspace.root / "Repo" / "ETL" / "__pycache__").exists()
    assert workspace.list("/Repo") == [
        WorkspaceObject("/Repo/ETL", ObjectType.DIRECTORY),
        WorkspaceObject("/Repo/lib", ObjectType.DIRECTORY),
    ]
    assert workspace.list("/Workspace/Repo/ETL") == [
        WorkspaceObject("/Repo/ETL/00_Validate", ObjectType.NOTEBOOK, NotebookLanguage.PYTHON),
        WorkspaceObject("/Repo/ETL/config.json", ObjectType.FILE),
        WorkspaceObject("/Repo/ETL/explore", ObjectType.NOTEBOOK, NotebookLanguage.PYTHON),
        WorkspaceObject("/Repo/ETL/report", ObjectType.NOTEBOOK, NotebookLanguage.SQL),
    ]
    assert workspace.list("/") == [WorkspaceObject("/Repo", ObjectType.DIRECTORY)]
    resolved = workspace.resolve_notebook("/Repo/ETL/00_Validate")
    assert resolved.workspace_path == "/Repo/ETL/00_Validate"


def test_import_single_notebook_keeps_extension(tmp_path: Path, workspace: Workspace) -> None:
    source = write(tmp_path / "nb.py", PY_HEADER)
    assert workspace.import_path(source, "/ETL/Ingest") == ["/ETL/Ingest"]
    assert (workspace.root / "ETL" / "Ingest.py").is_file()
    assert workspace.import_path(source, "/ETL/Other.py") == ["/ETL/Other"]
    assert (workspace.root / "ETL" / "Other.py").is_file()


def test_import_plain_file_keeps_its_name(tmp_path: Path, workspace: Workspace) -> None:
    source = write(tmp_path / "data.csv", "a\n1\n")
    assert workspace.import_path(source, "/data/input.csv") == ["/data/input.csv"]
    assert workspace.get_status("/data/input.csv").object_type == ObjectType.FILE


def test_import_refuses_to_overwrite_unless_asked(tmp_path: Path, workspace: Workspace) -> None:
    first = write(tmp_path / "v1" / "nb.py", PY_HEADER + "v = 1\n")
    second = write(tmp_path / "v2" / "nb.py", PY_HEADER + "v = 2\n")
    workspace.import_path(first, "/x/nb")
    with pytest.raises(ConflictError, match="'/x/nb' already exists"):
        workspace.import_path(second, "/x/nb")
    assert "v = 1" in (workspace.root / "x" / "nb.py").read_text()
    workspace.import_path(second, "/x/nb", overwrite=True)
    assert "v = 2" in (workspace.root / "x" / "nb.py").read_text()


def test_import_other_format_replaces_same_notebook(tmp_path: Path, workspace: Workspace) -> None:
    workspace.import_path(write(tmp_path / "nb.py", PY_HEADER), "/x/nb")
    jupyter = write(tmp_path / "nb.ipynb", ipynb())
    with pytest.raises(ConflictError):
        workspace.import_path(jupyter, "/x/nb")
    workspace.import_path(jupyter, "/x/nb", overwrite=True)
    assert not (workspace.root / "x" / "nb.py").exists()
    assert workspace.resolve_notebook("/x/nb").format == NotebookFormat.JUPYTER


def test_import_folder_conflict_changes_nothing(tmp_path: Path, workspace: Workspace) -> None:
    project = make_project(tmp_path)
    write(workspace.root / "Repo" / "lib" / "helpers.py", "OLD = 1\n")
    with pytest.raises(ConflictError):
        workspace.import_path(project, "/Repo")
    assert not (workspace.root / "Repo" / "ETL").exists()


def test_import_folder_with_two_formats_of_one_notebook(
    tmp_path: Path, workspace: Workspace
) -> None:
    write(tmp_path / "src" / "nb.py", PY_HEADER)
    write(tmp_path / "src" / "nb.ipynb", ipynb())
    with pytest.raises(InvalidInputError, match="would both become '/dst/nb'"):
        workspace.import_path(tmp_path / "src", "/dst")


def test_import_missing_source(tmp_path: Path, workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        workspace.import_path(tmp_path / "missing.py", "/x")


def test_import_rejects_traversal(tmp_path: Path, workspace: Workspace) -> None:
    source = write(tmp_path / "nb.py", PY_HEADER)
    with pytest.raises(InvalidInputError, match="outside the workspace root"):
        workspace.import_path(source, "/../escape")
    assert not (tmp_path / "escape.py").exists()


def test_import_over_a_folder_or_through_a_file(tmp_path: Path, workspace: Workspace) -> None:
    source = write(tmp_path / "data.txt", "x\n")
    workspace.mkdirs("/folder")
    with pytest.raises(InvalidInputError, match="it is a folder"):
        workspace.import_path(source, "/folder")
    workspace.import_path(source, "/afile")
    with pytest.raises(InvalidInputError, match="'/afile' is a file"):
        workspace.import_path(source, "/afile/inner.txt")
