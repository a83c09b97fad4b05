"""Notebook files: the formats and languages a notebook is stored in, and how a file or an
imported content is recognised as one (Databricks source headers, Jupyter documents,
extensions).

Standard library only: the task runtime imports it through :mod:`brickyard.workspace`.
"""

from __future__ import annotations

import builtins
import json
from enum import StrEnum
from pathlib import Path, PurePosixPath


class NotebookFormat(StrEnum):
    """How a notebook is stored."""

    SOURCE = "SOURCE"
    """Databricks source format (``# Databricks notebook source`` + ``COMMAND`` separators)."""
    JUPYTER = "JUPYTER"
    """A Jupyter ``.ipynb`` JSON document."""


class NotebookLanguage(StrEnum):
    """A notebook's default language (the Workspace API's ``language``)."""

    PYTHON = "PYTHON"
    """Python (``.py`` / ``.ipynb``)."""
    SQL = "SQL"
    """SQL (``.sql``)."""
    SCALA = "SCALA"
    """Scala (``.scala``)."""
    R = "R"
    """R (``.r``)."""


NOTEBOOK_EXTENSIONS: tuple[str, ...] = (".py", ".ipynb", ".sql", ".scala", ".r")
"""Extensions tried, in this order, when a notebook is addressed without one."""

LANGUAGE_BY_EXTENSION = {
    ".py": NotebookLanguage.PYTHON,
    ".sql": NotebookLanguage.SQL,
    ".scala": NotebookLanguage.SCALA,
    ".r": NotebookLanguage.R,
}

# The first line of a source-format export names its language through its comment prefix; `#`
# is shared by Python and R, so for a file without an extension it means Python.
_LANGUAGE_BY_HEADER = {
    "# Databricks notebook source": NotebookLanguage.PYTHON,
    "-- Databricks notebook source": NotebookLanguage.SQL,
    "// Databricks notebook source": NotebookLanguage.SCALA,
}

_EXTENSION_BY_LANGUAGE = {language: ext for ext, language in LANGUAGE_BY_EXTENSION.items()}

_LANGUAGE_BY_JUPYTER_NAME = {
    "python": NotebookLanguage.PYTHON,
    "sql": NotebookLanguage.SQL,
    "scala": NotebookLanguage.SCALA,
    "r": NotebookLanguage.R,
}


def strip_notebook_extension(name: str) -> str:
    for extension in NOTEBOOK_EXTENSIONS:
        if name.lower().endswith(extension) and len(name) > len(extension):
            return name[: -len(extension)]
    return name


def detect_notebook(file: Path) -> tuple[NotebookLanguage, NotebookFormat] | None:
    """The language and format of ``file`` if it is a notebook, else None.

    ``.ipynb`` files are Jupyter notebooks (language from their metadata, Python by default);
    ``.py``/``.sql``/``.scala``/``.r`` files are source notebooks in their extension's language;
    a file with another extension is a notebook only when its first line is a Databricks
    source header.
    """
    suffix = file.suffix.lower()
    if suffix == ".ipynb":
        return _jupyter_language(file), NotebookFormat.JUPYTER
    if suffix in LANGUAGE_BY_EXTENSION:
        return LANGUAGE_BY_EXTENSION[suffix], NotebookFormat.SOURCE
    header = _first_line(file)
    if header in _LANGUAGE_BY_HEADER:
        return _LANGUAGE_BY_HEADER[header], NotebookFormat.SOURCE
    return None


def has_source_header(file: Path) -> bool:
    """Whether ``file`` starts with a Databricks source-notebook header line."""
    return _first_line(file) in _LANGUAGE_BY_HEADER


def source_header(language: NotebookLanguage) -> str:
    """The first line of a source notebook in ``language`` (``-- Databricks notebook source``)."""
    prefix = {NotebookLanguage.SQL: "--", NotebookLanguage.SCALA: "//"}.get(language, "#")
    return f"{prefix} Databricks notebook source"


def notebook_extension(language: NotebookLanguage, notebook_format: NotebookFormat) -> str:
    """The extension a notebook is stored with (``.ipynb``, or its language's)."""
    if notebook_format is NotebookFormat.JUPYTER:
        return ".ipynb"
    return _EXTENSION_BY_LANGUAGE[language]


def classify_import(path: str, content: bytes) -> tuple[NotebookLanguage, NotebookFormat] | None:
    """What ``content`` imported to ``path`` with format AUTO becomes: a notebook (its language
    and format) or None for a plain file.

    ``.ipynb`` is a Jupyter notebook; ``.py``/``.sql``/``.scala``/``.r`` is a source notebook
    when its first line is that language's header, else a file; any other name is a source
    notebook when it starts with a header, a Jupyter notebook when it has no extension and holds
    a Jupyter document, else a file.
    """
    suffix = PurePosixPath(path).suffix.lower()
    first = content[:200].split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
    first = first.lstrip("\ufeff")
    if suffix == ".ipynb":
        return jupyter_language(content), NotebookFormat.JUPYTER
    if suffix in LANGUAGE_BY_EXTENSION:
        language = LANGUAGE_BY_EXTENSION[suffix]
        return (language, NotebookFormat.SOURCE) if first == source_header(language) else None
    if first in _LANGUAGE_BY_HEADER:
        return _LANGUAGE_BY_HEADER[first], NotebookFormat.SOURCE
    if not suffix and is_jupyter_document(content):
        return jupyter_language(content), NotebookFormat.JUPYTER
    return None


def is_jupyter_document(content: bytes) -> bool:
    try:
        document = json.loads(content)
    except ValueError:
        return False
    return isinstance(document, dict) and isinstance(document.get("cells"), builtins.list)


def _first_line(file: Path) -> str:
    try:
        with file.open("rb") as handle:
            line = handle.readline(200)
    except OSError:
        return ""
    return line.decode("utf-8", errors="replace").strip()


def _jupyter_language(file: Path) -> NotebookLanguage:
    try:
        content = file.read_bytes()
    except OSError:
        return NotebookLanguage.PYTHON
    return jupyter_language(content)


def jupyter_language(content: bytes) -> NotebookLanguage:
    """The language a Jupyter document names in its metadata (Python by default)."""
    try:
        document = json.loads(content)
    except ValueError:
        return NotebookLanguage.PYTHON
    metadata = document.get("metadata") if isinstance(document, dict) else None
    if not isinstance(metadata, dict):
        return NotebookLanguage.PYTHON
    candidates = [
        (metadata.get("application/vnd.databricks.v1+notebook") or {}).get("language"),
        (metadata.get("language_info") or {}).get("name"),
        (metadata.get("kernelspec") or {}).get("language"),
    ]
    for name in candidates:
        if isinstance(name, str) and name.lower() in _LANGUAGE_BY_JUPYTER_NAME:
            return _LANGUAGE_BY_JUPYTER_NAME[name.lower()]
    return NotebookLanguage.PYTHON


def is_notebook_object(file: Path) -> bool:
    """Whether a stored workspace file is listed as a notebook (not a plain file).

    ``.ipynb`` files always are; source files only with the Databricks header, as in
    Databricks, where a ``.py`` file without it is imported as a workspace file.
    """
    if file.suffix.lower() == ".ipynb":
        return True
    return has_source_header(file)


def is_notebook_extension(file: Path) -> bool:
    return file.suffix.lower() in NOTEBOOK_EXTENSIONS
