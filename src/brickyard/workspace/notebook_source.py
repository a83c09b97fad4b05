"""Parse notebooks into cells: the Databricks source format (``.py``/``.sql``/``.scala``/``.r``)
and the cells of a Jupyter ``.ipynb`` (for ``%run``).

A source notebook starts with a header line (``# Databricks notebook source``), separates
cells with ``# COMMAND ----------`` lines, prefixes the lines of magic cells with ``# MAGIC``
and may give a cell a title with ``# DBTITLE 0|1,<title>``. A ``.py`` file without the header
is one Python cell.

The task runtime runs notebooks from these cells and the Workspace API checks and converts
imports with them, so this module lives beside the workspace path rules and uses the
standard library and :mod:`brickyard.errors` only.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from brickyard.errors import InvalidInputError


class CellKind(StrEnum):
    """What a cell is and how the runner treats it."""

    MARKDOWN = "markdown"
    """``%md`` / ``%md-sandbox``: shown, not executed."""
    PYTHON = "python"
    """Python code (default cells of a ``.py`` notebook, ``%python``)."""
    SQL = "sql"
    """``%sql`` or a default cell of a ``.sql`` notebook."""
    SCALA = "scala"
    """``%scala`` or a default cell of a ``.scala`` notebook."""
    R = "r"
    """``%r`` or a default cell of a ``.r`` notebook."""
    SHELL = "sh"
    """``%sh``: a bash script."""
    FS = "fs"
    """``%fs <command> <args>``: a ``dbutils.fs`` call."""
    RUN = "run"
    """``%run <path> [$name=value ...]``: include another notebook."""
    PIP = "pip"
    """``%pip <args>``: install packages."""
    UNKNOWN_MAGIC = "unknown_magic"
    """Any other ``%magic``: fails with a clear message."""


_MAGIC_KINDS = {
    "%md": CellKind.MARKDOWN,
    "%md-sandbox": CellKind.MARKDOWN,
    "%python": CellKind.PYTHON,
    "%sql": CellKind.SQL,
    "%scala": CellKind.SCALA,
    "%r": CellKind.R,
    "%sh": CellKind.SHELL,
    "%fs": CellKind.FS,
    "%run": CellKind.RUN,
    "%pip": CellKind.PIP,
}
_LANGUAGE_KINDS = {
    "PYTHON": CellKind.PYTHON,
    "SQL": CellKind.SQL,
    "SCALA": CellKind.SCALA,
    "R": CellKind.R,
}
_COMMENT_PREFIXES = {"PYTHON": "#", "R": "#", "SCALA": "//", "SQL": "--"}
_LANGUAGES_BY_SUFFIX = {".py": "PYTHON", ".r": "R", ".scala": "SCALA", ".sql": "SQL"}


@dataclass(frozen=True)
class NotebookCell:
    """One cell of a notebook."""

    number: int
    """1-based position in the notebook (as in ``<notebook /x cell 3>``)."""
    kind: CellKind
    source: str
    """The cell as shown in the executed notebook (magic line kept, ``MAGIC`` prefixes gone)."""
    body: str
    """What runs: the code, markdown text, shell script, or the magic's arguments."""
    title: str | None = None
    show_title: bool = False
    magic: str | None = None
    """The magic command (``%sh``) for magic cells."""


@dataclass(frozen=True)
class ParsedNotebook:
    """A notebook's default language and cells."""

    language: str
    cells: tuple[NotebookCell, ...]
    has_header: bool = True


def language_for_file(path: Path) -> str:
    """PYTHON / SQL / SCALA / R by file extension (PYTHON for anything unknown)."""
    return _LANGUAGES_BY_SUFFIX.get(path.suffix.lower(), "PYTHON")


def notebook_header(language: str) -> str:
    """The first line that marks a source notebook of ``language``."""
    return f"{_COMMENT_PREFIXES[language]} Databricks notebook source"


def parse_source_notebook(text: str, language: str = "PYTHON") -> ParsedNotebook:
    """Split a Databricks source notebook into cells."""
    language = language.upper()
    prefix = _COMMENT_PREFIXES.get(language)
    if prefix is None:
        raise InvalidInputError(f"unknown notebook language {language!r}")
    default_kind = _LANGUAGE_KINDS[language]
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != notebook_header(language):
        body = text.lstrip("\ufeff")
        single = NotebookCell(1, default_kind, body, body)
        return ParsedNotebook(language, (single,) if body.strip() else (), has_header=False)
    separator = f"{prefix} COMMAND ----------"
    chunks: list[list[str]] = [[]]
    for line in lines[1:]:
        if line.rstrip() == separator:
            chunks.append([])
        else:
            chunks[-1].append(line)
    cells: list[NotebookCell] = []
    for chunk in chunks:
        cell = _source_cell(_trim_blank_lines(chunk), prefix, default_kind, len(cells) + 1)
        if cell is not None:
            cells.append(cell)
    return ParsedNotebook(language, tuple(cells))


def _source_cell(
    lines: list[str], prefix: str, default_kind: CellKind, number: int
) -> NotebookCell | None:
    title: str | None = None
    show_title = False
    title_marker = f"{prefix} DBTITLE "
    if lines and lines[0].startswith(title_marker):
        flag, _, title = lines[0][len(title_marker) :].partition(",")
        show_title = flag.strip() == "1"
        lines = _trim_blank_lines(lines[1:])
    if not lines:
        return None
    magic_marker = f"{prefix} MAGIC"
    if lines[0].startswith(magic_marker):
        lines = [_strip_magic_prefix(line, magic_marker) for line in lines]
    return classify_cell(lines, default_kind, number, title, show_title)


def _strip_magic_prefix(line: str, marker: str) -> str:
    if line.rstrip() == marker:
        return ""
    if line.startswith(marker + " "):
        return line[len(marker) + 1 :]
    return line


def classify_cell(
    lines: list[str],
    default_kind: CellKind,
    number: int,
    title: str | None = None,
    show_title: bool = False,
) -> NotebookCell:
    """Build a cell from its lines: a first line ``%magic ...`` decides the kind."""
    source = "\n".join(lines)
    first = lines[0] if lines else ""
    if not first.startswith("%"):
        return NotebookCell(number, default_kind, source, source, title, show_title)
    magic, _, rest = first.partition(" ")
    magic = magic.rstrip()
    kind = _MAGIC_KINDS.get(magic, CellKind.UNKNOWN_MAGIC)
    if kind in (CellKind.RUN, CellKind.FS, CellKind.PIP, CellKind.UNKNOWN_MAGIC):
        body = "\n".join([rest.strip(), *lines[1:]]).strip()
    else:
        body_lines = ([rest] if rest.strip() else []) + lines[1:]
        body = "\n".join(body_lines)
    return NotebookCell(number, kind, source, body, title, show_title, magic)


def _trim_blank_lines(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def parse_ipynb_notebook(text: str, source: str = "notebook") -> ParsedNotebook:
    """The cells of a Jupyter notebook (markdown and code; a ``%magic`` first line counts)."""
    try:
        raw: Any = json.loads(text)
    except ValueError as exc:
        raise InvalidInputError(f"{source}: not a valid .ipynb (JSON) file: {exc}") from exc
    raw_cells = raw.get("cells") if isinstance(raw, dict) else None
    if not isinstance(raw_cells, list):
        raise InvalidInputError(f"{source}: not a valid .ipynb file (no 'cells' list)")
    cells: list[NotebookCell] = []
    for raw_cell in raw_cells:
        if not isinstance(raw_cell, dict):
            continue
        text_source = raw_cell.get("source", "")
        if isinstance(text_source, list):
            text_source = "".join(str(part) for part in text_source)
        lines = _trim_blank_lines(str(text_source).splitlines())
        number = len(cells) + 1
        if raw_cell.get("cell_type") == "markdown":
            body = "\n".join(lines)
            cells.append(NotebookCell(number, CellKind.MARKDOWN, body, body))
        elif raw_cell.get("cell_type") == "code" and lines:
            cells.append(classify_cell(lines, CellKind.PYTHON, number))
    return ParsedNotebook("PYTHON", tuple(cells))


@dataclass(frozen=True)
class RunCommand:
    """A parsed ``%run`` line: the notebook path and the widget arguments passed to it."""

    path: str
    arguments: dict[str, str]


def parse_run_command(body: str, cell_number: int) -> RunCommand:
    """Parse ``<path> [$name=value ...]`` (values may be quoted)."""
    try:
        words = shlex.split(body)
    except ValueError as exc:
        raise InvalidInputError(f"%run in cell {cell_number}: {exc}") from None
    if not words:
        raise InvalidInputError(f"%run in cell {cell_number} needs a notebook path")
    arguments: dict[str, str] = {}
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if not name.startswith("$") or not equals or len(name) < 2:
            raise InvalidInputError(
                f"%run in cell {cell_number}: argument {word!r} must look like $name=value"
            )
        arguments[name[1:]] = value
    return RunCommand(words[0], arguments)
