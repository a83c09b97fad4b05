from __future__ import annotations

import json
from pathlib import Path

import pytest

from brickyard.errors import InvalidInputError
from brickyard.workspace.notebook_source import (
    CellKind,
    language_for_file,
    parse_ipynb_notebook,
    parse_run_command,
    parse_source_notebook,
)

PY_NOTEBOOK = """# Databricks notebook source
# MAGIC %md
# MAGIC # Title
# MAGIC
# MAGIC text

# COMMAND ----------

# DBTITLE 1,Load widgets
dbutils.widgets.text("run_date", "")
run_date = dbutils.widgets.get("run_date")

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT :run_date

# COMMAND ----------

# DBTITLE 0,hidden title
# MAGIC %sh ls -l
# MAGIC echo done

# COMMAND ----------

# MAGIC %run ./shared/setup $env="dev"

# COMMAND ----------

# MAGIC %pip install requests==2.0

# COMMAND ----------

# MAGIC %fs ls /tmp

# COMMAND ----------

# MAGIC %python
# MAGIC x = 1

# COMMAND ----------

# MAGIC %md-sandbox <b>hi</b>

# COMMAND ----------

# MAGIC %scala
# MAGIC val x = 1

# COMMAND ----------

# MAGIC %r
# MAGIC x <- 1

# COMMAND ----------

# MAGIC %lsmagic
"""


def test_parses_every_cell_kind() -> None:
    parsed = parse_source_notebook(PY_NOTEBOOK, "PYTHON")
    assert parsed.has_header
    kinds = [cell.kind for cell in parsed.cells]
    assert kinds == [
        CellKind.MARKDOWN,
        CellKind.PYTHON,
        CellKind.SQL,
        CellKind.SHELL,
        CellKind.RUN,
        CellKind.PIP,
        CellKind.FS,
        CellKind.PYTHON,
        CellKind.MARKDOWN,
        CellKind.SCALA,
        CellKind.R,
        CellKind.UNKNOWN_MAGIC,
    ]
    cells = parsed.cells
    assert [cell.number for cell in cells] == list(range(1, 13))
    assert cells[0].body == "# Title\n\ntext"
    assert cells[0].source == "%md\n# Title\n\ntext"
    assert cells[1].title == "Load widgets" and cells[1].show_title
    assert cells[1].body.startswith('dbutils.widgets.text("run_date", "")')
    assert cells[2].body == "SELECT :run_date"
    assert cells[3].title == "hidden title" and not cells[3].show_title
    assert cells[3].body == "ls -l\necho done"
    assert cells[4].body == './shared/setup $env="dev"'
    assert cells[5].body == "install requests==2.0"
    assert cells[6].body == "ls /tmp"
    assert cells[7].body == "x = 1"
    assert cells[8].body == "<b>hi</b>"
    assert cells[11].magic == "%lsmagic"


def test_sql_notebook_default_cells_are_sql() -> None:
    text = (
        "-- Databricks notebook source\nSELECT 1\n\n-- COMMAND ----------\n\n"
        "-- MAGIC %python\n-- MAGIC print(1)\n"
    )
    parsed = parse_source_notebook(text, "SQL")
    assert [(c.kind, c.body) for c in parsed.cells] == [
        (CellKind.SQL, "SELECT 1"),
        (CellKind.PYTHON, "print(1)"),
    ]


def test_scala_header_and_prefix() -> None:
    text = "// Databricks notebook source\nval a = 1\n\n// COMMAND ----------\n\n// MAGIC %md hi\n"
    parsed = parse_source_notebook(text, "SCALA")
    assert [c.kind for c in parsed.cells] == [CellKind.SCALA, CellKind.MARKDOWN]


def test_python_file_without_header_is_one_cell() -> None:
    text = "print(1)\n# COMMAND ----------\nprint(2)\n"
    parsed = parse_source_notebook(text, "PYTHON")
    assert not parsed.has_header
    assert len(parsed.cells) == 1 and parsed.cells[0].body == text


def test_empty_cells_are_dropped_and_blank_lines_trimmed() -> None:
    text = (
        "# Databricks notebook source\n\n\n# COMMAND ----------\n\n\nx = 1\n\n\n"
        "# COMMAND ----------\n"
    )
    parsed = parse_source_notebook(text)
    assert [(c.number, c.body) for c in parsed.cells] == [(1, "x = 1")]


def test_bom_and_unknown_language() -> None:
    parsed = parse_source_notebook("\ufeff# Databricks notebook source\nx = 1\n")
    assert parsed.has_header and parsed.cells[0].body == "x = 1"
    with pytest.raises(InvalidInputError, match="unknown notebook language"):
        parse_source_notebook("", "COBOL")


def test_language_for_file() -> None:
    assert language_for_file(Path("a.SQL")) == "SQL"
    assert language_for_file(Path("a.r")) == "R"
    assert language_for_file(Path("a.scala")) == "SCALA"
    assert language_for_file(Path("a.py")) == "PYTHON"


def test_ipynb_cells() -> None:
    document = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Hi\n", "there"]},
            {"cell_type": "code", "source": "x = 1\n"},
            {"cell_type": "code", "source": ["%sh\n", "echo hi"]},
            {"cell_type": "code", "source": ""},
            {"cell_type": "raw", "source": "ignored"},
        ]
    }
    parsed = parse_ipynb_notebook(json.dumps(document))
    assert [(c.kind, c.body) for c in parsed.cells] == [
        (CellKind.MARKDOWN, "# Hi\nthere"),
        (CellKind.PYTHON, "x = 1"),
        (CellKind.SHELL, "echo hi"),
    ]
    with pytest.raises(InvalidInputError, match=r"not a valid \.ipynb"):
        parse_ipynb_notebook("[]", "x.ipynb")
    with pytest.raises(InvalidInputError, match="JSON"):
        parse_ipynb_notebook("{", "x.ipynb")


def test_run_command_arguments() -> None:
    command = parse_run_command('../lib/setup $env="dev env" $n=3', 4)
    assert command.path == "../lib/setup"
    assert command.arguments == {"env": "dev env", "n": "3"}
    with pytest.raises(InvalidInputError, match=r"\$name=value"):
        parse_run_command("./x env=dev", 4)
    with pytest.raises(InvalidInputError, match="needs a notebook path"):
        parse_run_command("", 2)
