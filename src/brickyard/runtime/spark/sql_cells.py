"""``%sql`` cells (and every cell of a SQL notebook), run on the task's Spark session.

As on Databricks: a cell may hold several statements separated by ``;``; parameters come from
the notebook's widgets and the task's parameters, either as named parameter markers
(``WHERE day = :day``, passed to Spark as arguments, so values are never spliced into SQL) or
in the legacy ``${day}`` form (replaced in the text before Spark sees it); the last statement's
result is displayed and bound to ``_sqldf`` for the Python cells that follow.
``CREATE WIDGET`` / ``REMOVE WIDGET`` statements declare the widgets later cells read
(:mod:`~brickyard.runtime.spark.sql_widgets`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from brickyard.runtime.dbutils.widgets import WidgetsUtils
from brickyard.runtime.exceptions import CellError
from brickyard.runtime.spark.sql_widgets import parse_widget_statement

RESULT_NAME = "_sqldf"
_LEGACY_PARAMETER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Statement:
    """One SQL statement of a cell and the named parameter markers (``:name``) it uses."""

    text: str
    markers: tuple[str, ...] = ()


def run_sql_cell(
    body: str,
    *,
    session: Callable[[], Any],
    widgets: WidgetsUtils,
    display: Callable[[Any], None],
    namespace: MutableMapping[str, Any],
    cell_number: int,
) -> Any:
    """Run every statement of the cell; display the last result and bind it to ``_sqldf``.

    ``session`` is called only when a statement needs Spark (a comment-only cell, or one that
    declares a text widget, starts none). Parameters are the widgets' and the task's values
    as the cell starts. Returns the last result (None when it is no query).
    """
    parameters = widgets.getAll()
    statements = split_statements(substitute_legacy_parameters(body, parameters, cell_number))
    if not statements:
        return None
    # Checked before Spark is started: a cell that cannot run costs no session.
    for statement in statements:
        for name in statement.markers:
            if name not in parameters:
                raise CellError(
                    f"%sql in cell {cell_number}: the parameter :{name} has no value; declare "
                    f"a widget (dbutils.widgets.text({name!r}, ...)) or pass it as a task "
                    "parameter"
                )
    result: Any = None
    for statement in statements:
        widget = parse_widget_statement(statement.text)
        if widget is not None:
            widget.run(widgets, session, cell_number)
            result = None
            continue
        arguments = {name: parameters[name] for name in statement.markers}
        spark = session()
        result = (
            spark.sql(statement.text, args=arguments) if arguments else spark.sql(statement.text)
        )
    # DDL and DML answer with a DataFrame without columns: nothing to show, as on Databricks.
    if result is not None and len(result.columns) > 0:
        namespace[RESULT_NAME] = result
        display(result)
    return result


def substitute_legacy_parameters(text: str, parameters: Mapping[str, str], cell_number: int) -> str:
    """Replace ``${name}`` with the widget's or task parameter's value."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parameters:
            raise CellError(
                f"%sql in cell {cell_number}: ${{{name}}} names no widget or task parameter"
            )
        return parameters[name]

    return _LEGACY_PARAMETER.sub(value, text)


def split_statements(text: str) -> list[Statement]:
    """The statements of ``text`` (``;``-separated), each with its ``:name`` markers.

    Quotes (``'``, ``"``, backticks) and comments (``--``, ``/* */``) are skipped when looking
    for separators and markers; a statement that is only comments is dropped. ``::`` (a cast)
    and ``a:b`` (a colon right after a name, as in ``STRUCT<a:INT>``) are not markers.
    """
    statements: list[Statement] = []
    start = 0
    markers: list[str] = []
    has_code = False
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if char in "'\"`":
            i = _skip_quoted(text, i)
            has_code = True
            continue
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = length if end < 0 else end + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = length if end < 0 else end + 2
            continue
        if char == ";":
            if has_code:
                statements.append(Statement(text[start:i].strip(), tuple(dict.fromkeys(markers))))
            start, markers, has_code = i + 1, [], False
            i += 1
            continue
        if char == ":":
            if text.startswith("::", i):
                i += 2
                continue
            previous = text[i - 1] if i > 0 else " "
            name = _IDENTIFIER.match(text, i + 1)
            if name is not None and not (previous.isalnum() or previous == "_"):
                markers.append(name.group(0))
                i = name.end()
                has_code = True
                continue
        if not char.isspace():
            has_code = True
        i += 1
    if has_code:
        statements.append(Statement(text[start:].strip(), tuple(dict.fromkeys(markers))))
    return statements


def _skip_quoted(text: str, start: int) -> int:
    """The index after the quoted part that starts at ``start`` (backslash escapes count,
    as in Spark SQL; a doubled quote closes and reopens, which comes to the same)."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\" and quote != "`":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return len(text)
