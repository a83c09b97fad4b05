"""Databricks' widget statements in SQL cells: ``CREATE WIDGET`` and ``REMOVE WIDGET``.

SQL notebooks have no ``dbutils``; they declare their parameters with these statements, which
Spark's parser does not know, so they are run here on ``dbutils.widgets``::

    CREATE WIDGET TEXT day DEFAULT '2026-12-04'
    CREATE WIDGET DROPDOWN state DEFAULT 'CA' CHOICES SELECT DISTINCT state FROM people
    REMOVE WIDGET day

The ``CHOICES`` query runs on the task's session (its first column, as strings).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brickyard.runtime.dbutils.widgets import WidgetsUtils
from brickyard.runtime.exceptions import CellError

_CREATE = re.compile(
    r"""^CREATE\s+WIDGET\s+(?P<kind>TEXT|DROPDOWN|COMBOBOX|MULTISELECT)\s+(?P<name>`[^`]+`|\w+)
        \s+DEFAULT\s+(?P<default>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
        (?:\s+CHOICES\s+(?P<choices>.+?))?\s*$""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
_REMOVE = re.compile(r"^REMOVE\s+WIDGET\s+(?P<name>`[^`]+`|\w+)\s*$", re.IGNORECASE)
_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)


@dataclass(frozen=True)
class WidgetStatement:
    """A parsed ``CREATE WIDGET`` (``kind`` set) or ``REMOVE WIDGET`` (``kind`` None)."""

    name: str
    kind: str | None = None
    default: str = ""
    choices_query: str | None = None

    def run(self, widgets: WidgetsUtils, session: Callable[[], Any], cell_number: int) -> None:
        """Declare or remove the widget; a ``CHOICES`` query runs on the session."""
        if self.kind is None:
            widgets.remove(self.name)
            return
        if self.kind == "TEXT":
            widgets.text(self.name, self.default)
            return
        if self.choices_query is None:
            raise CellError(
                f"%sql in cell {cell_number}: CREATE WIDGET {self.kind} {self.name} needs "
                "CHOICES <query>"
            )
        rows = session().sql(self.choices_query).collect()
        choices = [str(row[0]) for row in rows]
        declare = {
            "DROPDOWN": widgets.dropdown,
            "COMBOBOX": widgets.combobox,
            "MULTISELECT": widgets.multiselect,
        }[self.kind]
        declare(self.name, self.default, choices)


def parse_widget_statement(statement: str) -> WidgetStatement | None:
    """The widget statement ``statement`` is, or None for any other SQL."""
    text = _LEADING_COMMENTS.sub("", statement, count=1)
    removed = _REMOVE.match(text)
    if removed is not None:
        return WidgetStatement(name=_unquote_name(removed.group("name")))
    created = _CREATE.match(text)
    if created is None:
        return None
    return WidgetStatement(
        name=_unquote_name(created.group("name")),
        kind=created.group("kind").upper(),
        default=_unquote(created.group("default")),
        choices_query=created.group("choices"),
    )


def _unquote_name(name: str) -> str:
    return name[1:-1] if name.startswith("`") else name


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])
