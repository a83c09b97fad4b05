"""Finding the notebook or file a path names (:mod:`brickyard.workspace.resolution`, through
:class:`Workspace`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.workspace import (
    NotebookFormat,
    NotebookLanguage,
    ResolvedNotebook,
    Workspace,
)
from support.workspace_files import PY_HEADER, ipynb, write


def test_resolve_workspace_notebook_with_and_without_prefix_and_extension(
    workspace: Workspace,
) -> None:
    file = write(workspace.root / "ETL" / "01_Ingestion.py", PY_HEADER + "x = 1\n")
    expected = ResolvedNotebook(
        file=file,
        workspace_path="/ETL/01_Ingestion",
        language=NotebookLanguage.PYTHON,
        format=NotebookFormat.SOURCE,
    )
    for path in (
        "/ETL/01_Ingestion",
        "/Workspace/ETL/01_Ingestion",
        "/ETL/01_Ingestion.py",
        "/Workspace/ETL/01_Ingestion.py",
    ):
        assert workspace.resolve_notebook(path) == expected


def test_resolve_languages_and_formats(workspace: Workspace) -> None:
    write(workspace.root / "nb" / "q.sql", "-- Databricks notebook source\nSELECT 1\n")
    write(workspace.root / "nb" / "s.scala", "// Databricks notebook source\nval x = 1\n")
    write(workspace.root / "nb" / "r.r", PY_HEADER + "x <- 1\n")
    write(workspace.root / "nb" / "j.ipynb", ipynb("python"))
    write(workspace.root / "nb" / "jr.ipynb", ipynb("R"))
    write(workspace.root / "nb" / "noext", "-- Databricks notebook source\nSELECT 1\n")
    cases = {
        "/nb/q": (NotebookLanguage.SQL, NotebookFormat.SOURCE),
        "/nb/s": (NotebookLanguage.SCALA, NotebookFormat.SOURCE),
        "/nb/r": (NotebookLanguage.R, NotebookFormat.SOURCE),
        "/nb/j": (NotebookLanguage.PYTHON, NotebookFormat.JUPYTER),
        "/nb/jr": (NotebookLanguage.R, NotebookFormat.JUPYTER),
        "/nb/noext": (NotebookLanguage.SQL, NotebookFormat.SOURCE),
    }
    for path, (language, notebook_format) in cases.items():
        resolved = workspace.resolve_notebook(path)
        assert (resolved.language, resolved.format) == (language, notebook_format), path
        assert resolved.workspace_path == path


def test_resolve_prefers_exact_then_extension_order(workspace: Workspace) -> None:
    write(workspace.root / "a.ipynb", ipynb())
    write(workspace.root / "a.py", PY_HEADER)
    assert workspace.resolve_notebook("/a").file.name == "a.py"
    assert workspace.resolve_notebook("/a.ipynb").file.name == "a.ipynb"


def test_resolve_skips_a_plain_file_named_like_the_notebook(workspace: Workspace) -> None:
    write(workspace.root / "report", "not a notebook\n")
    write(workspace.root / "report.sql", "-- Databricks notebook source\nSELECT 1\n")
    assert workspace.resolve_notebook("/report").file.name == "report.sql"


def test_resolve_plain_file_only_says_it_is_not_a_notebook(workspace: Workspace) -> None:
    write(workspace.root / "data.csv", "a,b\n")
    with pytest.raises(NotFoundError, match="not a notebook"):
        workspace.resolve_notebook("/data.csv")


def test_resolve_python_file_without_header_is_a_notebook(workspace: Workspace) -> None:
    write(workspace.root / "lib" / "helpers.py", "def f():\n    return 1\n")
    resolved = workspace.resolve_notebook("/lib/helpers")
    assert resolved.language == NotebookLanguage.PYTHON
    assert resolved.workspace_path == "/lib/helpers"


def test_resolve_relative_paths_against_base_dir(tmp_path: Path, workspace: Workspace) -> None:
    job_dir = tmp_path / "project"
    nb = write(job_dir / "notebooks" / "ETL" / "00_Validate.py", PY_HEADER)
    shared = write(job_dir / "shared" / "common.ipynb", ipynb())
    for path in ("notebooks/ETL/00_Validate", "./notebooks/ETL/00_Validate.py"):
        resolved = workspace.resolve_notebook(path, base_dir=job_dir)
        assert resolved.file == nb
        assert resolved.workspace_path is None
    from_notebook = workspace.resolve_notebook("../../shared/common", base_dir=nb.parent)
    assert from_notebook.file == shared
    assert from_notebook.format == NotebookFormat.JUPYTER


def test_resolve_relative_inside_workspace_keeps_workspace_path(workspace: Workspace) -> None:
    caller = write(workspace.root / "ETL" / "main.py", PY_HEADER)
    write(workspace.root / "Shared" / "setup.py", PY_HEADER)
    resolved = workspace.resolve_notebook("../Shared/setup", base_dir=caller.parent)
    assert resolved.workspace_path == "/Shared/setup"


def test_resolve_relative_cannot_leave_the_workspace(tmp_path: Path, workspace: Workspace) -> None:
    write(tmp_path / "outside.py", PY_HEADER)
    caller = write(workspace.root / "ETL" / "main.py", PY_HEADER)
    with pytest.raises(InvalidInputError, match="outside the workspace root"):
        workspace.resolve_notebook("../../../outside", base_dir=caller.parent)


def test_resolve_relative_without_base_dir_uses_cwd(
    tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = write(tmp_path / "here" / "nb.py", PY_HEADER)
    monkeypatch.chdir(tmp_path / "here")
    assert workspace.resolve_notebook("nb").file == nb


def test_resolve_absolute_filesystem_path(tmp_path: Path, workspace: Workspace) -> None:
    nb = write(tmp_path / "elsewhere" / "nb.py", PY_HEADER)
    for path in (str(nb), str(nb.with_suffix("")), f"file:{nb}"):
        resolved = workspace.resolve_notebook(path)
        assert resolved.file == nb
        assert resolved.workspace_path is None


def test_resolve_workspace_wins_over_filesystem(tmp_path: Path) -> None:
    # A workspace whose root mirrors an absolute path: the workspace copy is found first.
    outside = write(tmp_path / "dup" / "nb.py", PY_HEADER)
    ws = Workspace(tmp_path / "ws")
    inside = write(ws.root.joinpath(*outside.parts[1:]), PY_HEADER)
    assert ws.resolve_notebook(str(outside.with_suffix(""))).file == inside


def test_resolve_not_found_names_path_and_places(tmp_path: Path, workspace: Workspace) -> None:
    with pytest.raises(NotFoundError) as caught:
        workspace.resolve_notebook("/ETL/missing")
    message = str(caught.value)
    assert "'/ETL/missing'" in message
    assert str(workspace.root / "ETL" / "missing") in message
    assert ".ipynb" in message
    with pytest.raises(NotFoundError, match=re.escape(str(tmp_path / "job" / "nb"))):
        workspace.resolve_notebook("./nb", base_dir=tmp_path / "job")


def test_resolve_ignores_directories(workspace: Workspace) -> None:
    (workspace.root / "ETL").mkdir(parents=True)
    with pytest.raises(NotFoundError):
        workspace.resolve_notebook("/ETL")


@pytest.mark.parametrize("path", ["dbfs:/x/nb", "s3://bucket/nb"])
def test_resolve_rejects_other_schemes(workspace: Workspace, path: str) -> None:
    with pytest.raises(InvalidInputError, match="not workspace or local file paths"):
        workspace.resolve_notebook(path)


def test_resolve_rejects_workspace_traversal(workspace: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="outside the workspace root"):
        workspace.resolve_notebook("/ETL/../../etc/passwd")


def test_resolve_rejects_empty_path(workspace: Workspace) -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        workspace.resolve_notebook("  ")


def test_resolve_file_rules(tmp_path: Path, workspace: Workspace) -> None:
    in_ws = write(workspace.root / "scripts" / "run.py", "print(1)\n")
    local = write(tmp_path / "job" / "bin" / "task.py", "print(2)\n")
    assert workspace.resolve_file("/Workspace/scripts/run.py") == in_ws
    assert workspace.resolve_file("/scripts/run.py") == in_ws
    assert workspace.resolve_file("bin/task.py", base_dir=tmp_path / "job") == local
    assert workspace.resolve_file("./task.py", base_dir=local.parent) == local
    assert workspace.resolve_file(str(local)) == local
    with pytest.raises(NotFoundError, match="'/scripts/run'"):
        workspace.resolve_file("/scripts/run")
    with pytest.raises(InvalidInputError, match="dbfs: paths"):
        workspace.resolve_file("dbfs:/FileStore/run.py")
