"""Databricks SQL read with sqlglot and written for the warehouse's engine (DuckDB, or the
dialect of a SQLAlchemy database).

sqlglot translates functions and syntax; this module fixes what it leaves different:

- Spark's ``range(n)`` table function yields a column ``id``; DuckDB's yields ``range`` and
  PostgreSQL has ``generate_series``. Each ``range(...)`` in a FROM clause becomes a subquery
  whose column is ``id``.
- ``main`` is Databricks' default catalog but a reserved database name in DuckDB (so are
  ``temp``, ``system`` and ``memory``): a lakehouse catalog is the DuckDB database of the same
  name, except these, which get a leading ``_`` (``main`` → ``_main``). No lakehouse catalog
  starts with ``_``, so the mapping goes back without doubt (:func:`lakehouse_catalog`).
- A two-level name ``schema.table`` is Databricks' ``<current catalog>.schema.table``; DuckDB
  would look for a database first, so such names are qualified with the current catalog.

A script is split into statements by sqlglot's tokenizer (so ``;`` in strings and comments does
not split); each keeps the line and column where it starts, and errors name both.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError, TokenError, UnsupportedError
from sqlglot.tokenizer_core import TokenType

from brickyard.errors import SqlError

SOURCE_DIALECT = "databricks"
_RESERVED_DATABASES = frozenset({"main", "temp", "system", "memory"})
_DATABRICKS = Dialect.get_or_raise(SOURCE_DIALECT)


@dataclass(frozen=True)
class SourceStatement:
    """One statement of a script: its own text and where it starts in the script (1-based)."""

    text: str
    line: int = 1
    column: int = 1

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    def error(self, reason: str, *, line: int | None = None, column: int | None = None) -> SqlError:
        """A :class:`SqlError` for this statement (at its start unless told where)."""
        return SqlError(
            self.text,
            reason,
            line=line if line is not None else self.line,
            column=column if column is not None else self.column,
        )


def split_statements(script: str) -> list[SourceStatement]:
    """The statements of ``script`` (empty ones, and comments alone, left out)."""
    try:
        tokens = _DATABRICKS.tokenize(script)
    except TokenError as error:
        raise SqlError(script, f"cannot be read: {error}", line=_token_error_line(script)) from None
    statements: list[SourceStatement] = []
    start: int | None = None
    end = 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                statements.append(_statement(script, start, end))
            start = None
            continue
        if start is None:
            start = token.start
        end = token.end
    if start is not None:
        statements.append(_statement(script, start, end))
    return statements


def _statement(script: str, start: int, end: int) -> SourceStatement:
    before = script[:start]
    line = before.count("\n") + 1
    column = start - (before.rfind("\n") + 1) + 1
    return SourceStatement(text=script[start : end + 1], line=line, column=column)


def _token_error_line(script: str) -> int | None:
    """Where an unterminated string or comment starts: sqlglot's tokenizer does not say."""
    quotes = [m.start() for m in re.finditer(r"'", script)]
    if len(quotes) % 2:
        return script[: quotes[-1]].count("\n") + 1
    return None


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning where it falls back to a bare Command; the warehouse decides
    about those statements itself, so the warning would only be noise in the task log."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_statement(statement: SourceStatement) -> exp.Expr:
    """The statement's syntax tree; a :class:`SqlError` with line and column where it is not
    Databricks SQL sqlglot can read."""
    # Padded to its place in the script, so sqlglot's line and column are the script's.
    padded = "\n" * (statement.line - 1) + " " * (statement.column - 1) + statement.text
    try:
        with _quiet_sqlglot():
            parsed = _DATABRICKS.parse(padded, error_level=ErrorLevel.IMMEDIATE)
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        line = first.get("line")
        column = first.get("col")
        highlight = first.get("highlight") or ""
        if isinstance(column, int) and highlight:
            column = max(1, column - len(highlight) + 1)  # sqlglot points at the token's end
        reason = str(first.get("description") or error).split(". Line ")[0]
        reason = re.sub(r"<Token token_type: [^,]+, text: ([^,]*), [^>]*>", r"'\1'", reason)
        raise statement.error(
            f"syntax error: {reason}",
            line=line if isinstance(line, int) else None,
            column=column if isinstance(column, int) else None,
        ) from None
    except SqlglotError as error:
        raise statement.error(f"syntax error: {error}") from None
    expressions = [e for e in parsed if e is not None]
    if len(expressions) != 1:
        raise statement.error(f"holds {len(expressions)} statements where one was expected")
    return expressions[0]


def duckdb_database(catalog: str) -> str:
    """The DuckDB database that shows lakehouse catalog ``catalog``."""
    catalog = catalog.lower()
    return f"_{catalog}" if catalog in _RESERVED_DATABASES else catalog


def lakehouse_catalog(database: str) -> str:
    """The lakehouse catalog DuckDB database ``database`` shows (:func:`duckdb_database` back)."""
    if database.startswith("_") and database[1:] in _RESERVED_DATABASES:
        return database[1:]
    return database


def map_catalog_names_in_text(text: str) -> str:
    """DuckDB's wording (an error message) with lakehouse catalog names instead of DuckDB's."""
    for name in _RESERVED_DATABASES:
        text = re.sub(rf'(?<!\w)_{name}(?=[."\s]|$)', name, text)
    return text


def is_table_function(table: exp.Table) -> bool:
    """Whether ``table`` is a table function call (``range(5)``), not a named table."""
    return isinstance(table.this, exp.Func)


def qualify_for_duckdb(expression: exp.Expr, *, catalog: str) -> exp.Expr:
    """Catalog names mapped to DuckDB databases, two-level names given the current catalog."""
    for table in list(expression.find_all(exp.Table)):
        if is_table_function(table):
            continue
        if table.args.get("catalog") is not None:
            name = table.catalog
            table.set("catalog", exp.to_identifier(duckdb_database(name)))
        elif table.args.get("db") is not None and table.name:
            table.set("catalog", exp.to_identifier(duckdb_database(catalog)))
    for column in list(expression.find_all(exp.Column)):
        if column.args.get("catalog") is not None:
            column.set("catalog", exp.to_identifier(duckdb_database(column.text("catalog"))))
    return expression


def rewrite_range(expression: exp.Expr, dialect: str) -> exp.Expr:
    """Spark's ``range(...)`` table function as a subquery with Spark's column ``id``."""
    for table in list(expression.find_all(exp.Table)):
        function = table.this
        if not isinstance(function, exp.Anonymous) or function.name.lower() != "range":
            continue
        arguments = list(function.expressions)[:3]  # Spark's 4th: number of partitions
        alias = table.alias or "range"
        if dialect == "duckdb":
            source = exp.Anonymous(this="range", expressions=arguments)
            inner = exp.select(exp.alias_(exp.column("range"), "id")).from_(source)
        else:
            if len(arguments) == 1:
                arguments = [exp.Literal.number(0), arguments[0]]
            start, end = arguments[0], arguments[1]
            step = arguments[2] if len(arguments) > 2 else exp.Literal.number(1)
            last = exp.Sub(this=end.copy(), expression=exp.Literal.number(1))
            series = exp.Anonymous(this="generate_series", expressions=[start, last, step])
            # Spark's id is a BIGINT whatever the bounds' type
            column = exp.cast(exp.column("generate_series"), exp.DataType.build("BIGINT"))
            inner = exp.select(exp.alias_(column, "id")).from_(series)
        table.replace(exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(alias))))
    return expression


def name_projections_as_spark(expression: exp.Expr) -> exp.Expr:
    """Unaliased expressions of the top-level SELECT named as Spark names them (``count(1)``,
    ``sum(amount)``, ``(a + 1)``), not as DuckDB would (``count_star()``): result columns and
    the columns of a CREATE TABLE AS keep Databricks' names."""
    select = expression
    while isinstance(select, exp.Subquery):
        select = select.this
    if not isinstance(select, exp.Select):
        return expression
    for projection in list(select.expressions):
        if isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
            continue
        with _quiet_sqlglot():
            name = projection.sql(dialect=SOURCE_DIALECT, normalize_functions="lower")
        name = name.replace("count(*)", "count(1)")
        if isinstance(projection, exp.Literal) and projection.is_string:
            name = projection.this  # Spark names a string literal by its value
        elif isinstance(projection, exp.Binary):
            name = f"({name})"
        projection.replace(exp.alias_(projection.copy(), name, quoted=True))
    return expression


def generate(expression: exp.Expr, dialect: str, statement: SourceStatement) -> str:
    """``expression`` as SQL of ``dialect``; a :class:`SqlError` where sqlglot cannot
    translate it faithfully."""
    try:
        with _quiet_sqlglot():
            return expression.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as error:
        raise statement.error(f"cannot be translated to {dialect}: {error}") from None
    except SqlglotError as error:
        raise statement.error(f"cannot be translated to {dialect}: {error}") from None


def name_parts(table: exp.Table) -> tuple[str | None, str | None, str]:
    """(catalog, schema, table) as written (None where left out), lower case."""
    catalog = table.catalog.lower() if table.args.get("catalog") is not None else None
    schema = table.db.lower() if table.args.get("db") is not None else None
    return catalog, schema, table.name.lower()
