"""Status, listing, folders, deletion and reads for export (:mod:`brickyard.workspace.tree`,
through :class:`Workspace`), with what a stored file is as an object
(:mod:`brickyard.workspace.layout`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.workspace import (
    DirectoryNotEmptyError,
    NotebookLanguage,
    ObjectType,
    Workspace,
    WorkspaceConflictError,
    WorkspaceObject,
    WorkspacePathNotFoundError,
)
from support.workspace_files import PY_HEADER, make_project, write


def test_list_a_notebook_returns_it(tmp_path: Path, workspace: Workspace) -> None:
    workspace.import_path(make_project(tmp_path), "/Repo")
    expected = [WorkspaceObject("/Repo/ETL/report", ObjectType.NOTEBOOK, NotebookLanguage.SQL)]
    assert workspace.list("/Repo/ETL/report") == expected
    assert workspace.get_status("/Repo/ETL/report") == expected[0]


def test_list_missing_and_empty_root(workspace: Workspace) -> None:
    assert workspace.list("/") == []
    with pytest.raises(NotFoundError, match="'/nope' does not exist"):
        workspace.list("/nope")
    with pytest.raises(NotFoundError):
        workspace.get_status("/nope")


def test_mkdirs_and_delete(tmp_path: Path, workspace: Workspace) -> None:
    workspace.mkdirs("/Workspace/a/b/c")
    workspace.mkdirs("/a/b/c")  # exists already: nothing happens
    assert workspace.get_status("/a/b/c").object_type == ObjectType.DIRECTORY
    workspace.import_path(write(tmp_path / "nb.py", PY_HEADER), "/a/b/nb")
    with pytest.raises(InvalidInputError, match="'/a/b/nb' is a notebook"):
        workspace.mkdirs("/a/b/nb/sub")
    with pytest.raises(InvalidInputError, match="not empty"):
        workspace.delete("/a")
    workspace.delete("/a/b/nb")
    assert not (workspace.root / "a" / "b" / "nb.py").exists()
    workspace.delete("/a/b/c")
    workspace.delete("/a", recursive=True)
    assert workspace.list("/") == []
    with pytest.raises(NotFoundError):
        workspace.delete("/a")
    with pytest.raises(InvalidInputError, match="root cannot be deleted"):
        workspace.delete("/Workspace")


def test_mkdirs_through_a_file_fails(tmp_path: Path, workspace: Workspace) -> None:
    workspace.import_path(write(tmp_path / "f.txt", "x"), "/f.txt")
    with pytest.raises(InvalidInputError, match=re.escape("'/f.txt' is a file")):
        workspace.mkdirs("/f.txt/sub")


def test_read_and_object_details(workspace: Workspace) -> None:
    item = workspace.import_file("/d/f.txt", b"hello")
    file = workspace.root / "d" / "f.txt"
    info = file.stat()
    assert (item.object_id, item.size) == (info.st_ino, 5)
    assert item.modified_at == info.st_mtime_ns // 1_000_000
    assert item.created_at is not None
    assert workspace.read("/Workspace/d/f.txt") == (item, file)
    with pytest.raises(InvalidInputError, match="is a folder"):
        workspace.read("/d")
    with pytest.raises(WorkspacePathNotFoundError) as missing:
        workspace.read("/d/nope")
    assert missing.value.path == "/d/nope"
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert workspace.get_status("/").object_type == ObjectType.DIRECTORY


def test_root_status_before_anything_is_written(tmp_path: Path) -> None:
    empty = Workspace(tmp_path / "never-written")
    assert empty.get_status("/") == WorkspaceObject("/", ObjectType.DIRECTORY)


def test_errors_carry_the_databricks_codes(workspace: Workspace) -> None:
    workspace.mkdirs("/full/sub")
    with pytest.raises(DirectoryNotEmptyError) as not_empty:
        workspace.delete("/full")
    assert not_empty.value.error_code == "DIRECTORY_NOT_EMPTY"
    workspace.import_file("/blocker", b"x")
    with pytest.raises(WorkspaceConflictError) as blocked:
        workspace.mkdirs("/blocker/sub")
    assert blocked.value.error_code == "RESOURCE_ALREADY_EXISTS"
    assert isinstance(blocked.value, InvalidInputError)
