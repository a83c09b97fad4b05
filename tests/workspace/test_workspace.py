from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from brickyard.errors import ConflictError, InvalidInputError, NotFoundError
from brickyard.workspace import (
    DirectoryNotEmptyError,
    NotebookFormat,
    NotebookLanguage,
    ObjectType,
    ResolvedNotebook,
    Workspace,
    WorkspaceConflictError,
    WorkspaceObject,
    WorkspacePathNotFoundError,
    classify_import,
    detect_notebook,
    normalize_workspace_path,
)

PY_HEADER = "# Databricks notebook source\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def ipynb(language: str = "python") -> str:
    return json.dumps(
        {
            "cells": [],
            "metadata": {"kernelspec": {"language": language, "name": "x"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


# -- normalize_workspace_path ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/ETL/01_Ingestion", "/ETL/01_Ingestion"),
        ("/Workspace/ETL/01_Ingestion", "/ETL/01_Ingestion"),
        ("/Workspace", "/"),
        ("//ETL/./a//b/", "/ETL/a/b"),
        ("/ETL/x/../y", "/ETL/y"),
        ("/", "/"),
    ],
)
def test_normalize_workspace_path(raw: str, expected: str) -> None:
    assert normalize_workspace_path(raw) == expected


@pytest.mark.parametrize("raw", ["/../etc/passwd", "/ETL/../../x", "/Workspace/../../x"])
def test_normalize_rejects_traversal(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="outside the workspace root"):
        normalize_workspace_path(raw)


def test_normalize_rejects_relative() -> None:
    with pytest.raises(InvalidInputError, match="must be absolute"):
        normalize_workspace_path("ETL/x")


# -- resolve_notebook -----------------------------------------------------------------------


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


# -- resolve_file ---------------------------------------------------------------------------


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


# -- import / list / mkdirs / delete -------------------------------------------------------


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    write(project / "ETL" / "00_Validate.py", PY_HEADER + "print('validate')\n")
    write(project / "ETL" / "report.sql", "-- Databricks notebook source\nSELECT 1\n")
    write(project / "ETL" / "explore.ipynb", ipynb())
    write(project / "ETL" / "config.json", "{}\n")
    write(project / "lib" / "helpers.py", "X = 1\n")
    write(project / "ETL" / "__pycache__" / "junk.pyc", "")
    return project


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


def test_detect_notebook(tmp_path: Path) -> None:
    assert detect_notebook(write(tmp_path / "plain.txt", "hello\n")) is None
    assert detect_notebook(write(tmp_path / "nb", PY_HEADER)) == (
        NotebookLanguage.PYTHON,
        NotebookFormat.SOURCE,
    )
    assert detect_notebook(write(tmp_path / "broken.ipynb", "{not json")) == (
        NotebookLanguage.PYTHON,
        NotebookFormat.JUPYTER,
    )


def test_classify_import_decides_like_an_auto_import() -> None:
    notebook = json.dumps({"cells": [], "metadata": {}}).encode()
    python, source = NotebookLanguage.PYTHON, NotebookFormat.SOURCE
    assert classify_import("/x/nb.py", PY_HEADER.encode() + b"1") == (python, source)
    assert classify_import("/x/nb.py", b"print(1)") is None
    assert classify_import("/x/nb.sql", PY_HEADER.encode()) is None  # wrong header for .sql
    assert classify_import("/x/q.SQL", b"-- Databricks notebook source\n") == (
        NotebookLanguage.SQL,
        source,
    )
    assert classify_import("/x/m.r", PY_HEADER.encode()) == (NotebookLanguage.R, source)
    assert classify_import("/x/s", b"// Databricks notebook source\n") == (
        NotebookLanguage.SCALA,
        source,
    )
    assert classify_import("/x/n.ipynb", b"not even json") == (python, NotebookFormat.JUPYTER)
    assert classify_import("/x/n", notebook) == (python, NotebookFormat.JUPYTER)
    assert classify_import("/x/n.json", notebook) is None
    assert classify_import("/x/data.csv", b"a,b\n") is None


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


def test_a_byte_order_mark_does_not_hide_the_header(workspace: Workspace) -> None:
    content = b"\xef\xbb\xbf" + PY_HEADER.encode() + b"x = 1\n"
    item = workspace.import_notebook(
        "/bom", content, language=NotebookLanguage.PYTHON, notebook_format=NotebookFormat.SOURCE
    )
    assert item.object_type == ObjectType.NOTEBOOK
    assert (workspace.root / "bom.py").read_bytes() == PY_HEADER.encode() + b"x = 1\n"
