"""How a file or imported content is recognised as a notebook
(:mod:`brickyard.workspace.notebook_files`)."""

from __future__ import annotations

import json
from pathlib import Path

from brickyard.workspace import (
    NotebookFormat,
    NotebookLanguage,
    classify_import,
    detect_notebook,
)
from support.workspace_files import PY_HEADER, write


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
