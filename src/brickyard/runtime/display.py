# ruff: noqa: N802 - dbutils mirrors the Databricks API's camelCase names.
"""``display`` and ``displayHTML``: tables and HTML for notebooks, text for the logs."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from brickyard.runtime.context import TaskContext

SPARK_DISPLAY_ROW_LIMIT = 1000


class Display:
    """The ``display``/``displayHTML`` pair bound to one task context.

    In a notebook (a display sink is set) each call becomes a ``display_data`` output and a
    text copy goes to the log only; elsewhere the text is printed to stdout.
    """

    def __init__(self, context: TaskContext) -> None:
        self._context = context

    def display(self, obj: Any, *args: Any, **options: Any) -> None:
        """Show a DataFrame or a list of rows as a table; anything else as its ``repr``."""
        self._emit(render(obj))

    def displayHTML(self, html_text: str) -> None:
        """Show HTML."""
        text = str(html_text)
        self._emit({"text/plain": text, "text/html": text})

    def _emit(self, bundle: dict[str, str]) -> None:
        context = self._context
        text = bundle["text/plain"]
        if context.display_sink is None:
            print(text)
            return
        context.display_sink(context.redactor.redact_json(bundle))
        if context.log_writer is not None:
            context.log_writer(text + "\n")


def render(obj: Any) -> dict[str, str]:
    """A MIME bundle (``text/plain`` and, for tables, ``text/html``) for ``obj``."""
    if _is_spark_dataframe(obj):
        obj = obj.limit(SPARK_DISPLAY_ROW_LIMIT).toPandas()
    if _is_pandas_dataframe(obj):
        return {"text/plain": str(obj.to_string()), "text/html": str(obj.to_html())}
    table = _as_table(obj)
    if table is not None:
        columns, rows = table
        return {"text/plain": text_table(columns, rows), "text/html": html_table(columns, rows)}
    bundle = {"text/plain": repr(obj)}
    repr_html = getattr(obj, "_repr_html_", None)
    if callable(repr_html):
        rendered = repr_html()
        if isinstance(rendered, str):
            bundle["text/html"] = rendered
    return bundle


def render_result(obj: Any) -> dict[str, str]:
    """The bundle of a cell's last expression: a Spark DataFrame shows as its ``repr``
    (``DataFrame[id: bigint]``), as on Databricks, since computing it is ``display``'s job;
    anything else as :func:`render` shows it."""
    if _is_spark_dataframe(obj):
        return {"text/plain": repr(obj)}
    return render(obj)


def _is_spark_dataframe(obj: Any) -> bool:
    # Duck-typed: pyspark is not imported by the runtime.
    return callable(getattr(obj, "toPandas", None)) and callable(getattr(obj, "limit", None))


def _is_pandas_dataframe(obj: Any) -> bool:
    # Duck-typed: pandas is not imported by the runtime.
    return (
        callable(getattr(obj, "to_string", None))
        and callable(getattr(obj, "to_html", None))
        and hasattr(obj, "columns")
    )


def _as_table(obj: Any) -> tuple[list[str], list[list[Any]]] | None:
    """Columns and rows for a list of dicts, of rows with ``asDict``, or of tuples."""
    if not isinstance(obj, list | tuple) or not obj:
        return None
    rows = [row.asDict() if callable(getattr(row, "asDict", None)) else row for row in obj]
    if all(isinstance(row, Mapping) for row in rows):
        columns: list[str] = []
        for row in rows:
            columns.extend(str(key) for key in row if str(key) not in columns)
        return columns, [[row.get(col) for col in columns] for row in rows]
    if all(isinstance(row, Sequence) and not isinstance(row, str | bytes) for row in rows):
        width = max(len(row) for row in rows)
        columns = [f"_{i + 1}" for i in range(width)]
        return columns, [[*row, *([None] * (width - len(row)))] for row in rows]
    return None


def text_table(columns: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table with a header line."""
    cells = [[_cell_text(value) for value in row] for row in rows]
    widths = [
        max([len(column), *(len(row[i]) for row in cells)]) for i, column in enumerate(columns)
    ]
    header = " | ".join(column.ljust(widths[i]) for i, column in enumerate(columns))
    rule = "-+-".join("-" * width for width in widths)
    body = [" | ".join(value.ljust(widths[i]) for i, value in enumerate(row)) for row in cells]
    return "\n".join(line.rstrip() for line in [header, rule, *body])


def html_table(columns: list[str], rows: list[list[Any]]) -> str:
    """An HTML table."""
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell_text(value))}</td>" for value in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell_text(value: Any) -> str:
    return "null" if value is None else str(value)
