"""How workspace paths map to files under the root and back (:mod:`brickyard.workspace.layout`)."""

from __future__ import annotations

from pathlib import Path

from brickyard.workspace.layout import WorkspaceLayout, with_suffix, without_extension
from support.workspace_files import PY_HEADER, write


def test_local_path_drops_the_prefix_and_adds_no_extension(tmp_path: Path) -> None:
    layout = WorkspaceLayout(tmp_path)
    assert layout.local_path("/Workspace/ETL/./nb") == tmp_path / "ETL" / "nb"
    assert layout.local_path("/") == tmp_path


def test_workspace_path_of_names_notebooks_without_their_extension(tmp_path: Path) -> None:
    layout = WorkspaceLayout(tmp_path / "ws")
    notebook = write(layout.root / "ETL" / "nb.py", PY_HEADER)
    script = write(layout.root / "ETL" / "run.py", "print(1)\n")
    assert layout.workspace_path_of(notebook) == "/ETL/nb"
    assert layout.workspace_path_of(script) == "/ETL/run.py"
    assert layout.workspace_path_of(layout.root / "ETL" / "absent.py") == "/ETL/absent.py"
    assert layout.workspace_path_of(tmp_path / "elsewhere.py") is None


def test_a_notebook_is_found_without_its_extension_in_extension_order(tmp_path: Path) -> None:
    layout = WorkspaceLayout(tmp_path)
    write(tmp_path / "nb.ipynb", '{"cells": []}')
    write(tmp_path / "nb.py", PY_HEADER)
    write(tmp_path / "plain.py", "x = 1\n")
    assert layout.find_object("/nb") == tmp_path / "nb.py"
    assert layout.notebook_files(tmp_path / "nb") == [tmp_path / "nb.py", tmp_path / "nb.ipynb"]
    assert layout.find_object("/plain") is None  # a .py without the header is a file


def test_suffixes_are_appended_and_notebook_extensions_stripped() -> None:
    assert with_suffix(Path("/w/a.b"), ".py") == Path("/w/a.b.py")
    assert without_extension(Path("/w/nb.SQL")) == Path("/w/nb")
    assert without_extension(Path("/w/data.csv")) == Path("/w/data.csv")
