"""A warehouse that is a database the team already runs, named by a SQLAlchemy URL (PostgreSQL
is the one tested).

The Databricks SQL is transpiled by sqlglot to the database's dialect. Names: the database is
the one catalog, so a three-level name ``catalog.schema.table`` is ``schema.table`` there (the
catalog is dropped, whatever it is; ``USE CATALOG`` is accepted and changes nothing), and
Databricks' ``default`` schema is the database's default schema (``public`` for PostgreSQL;
``default_schema`` to choose another). One-level names are qualified with the current schema
(``schema=`` of the call, or the last ``USE``), except the names of the statement's CTEs.
Tables are the database's own: nothing is written to the lakehouse and no commit is recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import sqlalchemy
from sqlalchemy.engine import Connection
from sqlglot import exp

from brickyard.compute.spark.lakehouse import DEFAULT_SCHEMA
from brickyard.errors import InvalidInputError, SqlCanceledError
from brickyard.warehouse.dialect import (
    SourceStatement,
    generate,
    is_table_function,
    parse_statement,
    rewrite_range,
    split_statements,
)
from brickyard.warehouse.parameters import Parameter, bind_parameters
from brickyard.warehouse.results import ResultColumn, ScriptResult, StatementResult, StatementTiming
from brickyard.warehouse.spark_types import spark_type_of_arrow

_CANCEL_PATIENCE_S = 2.0
_SQLGLOT_DIALECTS = {"postgresql": "postgres", "mssql": "tsql", "sqlite": "sqlite"}

# PostgreSQL type OIDs (cursor.description's type_code) → the Arrow type of the column.
_POSTGRES_TYPES: dict[int, pa.DataType] = {
    16: pa.bool_(),
    17: pa.binary(),
    18: pa.string(),
    19: pa.string(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1042: pa.string(),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
}


class SqlAlchemyWarehouse:
    """A warehouse over the database at ``url``. Thread-safe: each call takes a pooled
    connection of its own."""

    def __init__(self, url: str, *, default_schema: str | None = None) -> None:
        try:
            parsed = sqlalchemy.make_url(url)
            if parsed.drivername in ("postgresql", "postgres"):  # psycopg 3 is the one installed
                parsed = parsed.set(drivername="postgresql+psycopg")
            self._engine = sqlalchemy.create_engine(parsed, pool_pre_ping=True)
        except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.NoSuchModuleError) as error:
            raise InvalidInputError(
                f"url: not a database URL SQLAlchemy can open ({error})"
            ) from None
        name = self._engine.dialect.name
        self.dialect = _SQLGLOT_DIALECTS.get(name, name)
        if default_schema is None:
            try:
                default_schema = sqlalchemy.inspect(self._engine).default_schema_name
            except sqlalchemy.exc.SQLAlchemyError as error:
                first = str(error).splitlines()[0]
                raise InvalidInputError(
                    f"url: cannot connect to the database ({type(error).__name__}: {first})"
                ) from None
        self.default_schema = default_schema or "public"
        self._running: dict[str, Connection] = {}
        self._canceled: set[str] = set()
        self._lock = threading.Lock()
        self._next = 0

    def execute(
        self,
        statement: str,
        *,
        parameters: Mapping[str, Parameter] | None = None,
        catalog: str | None = None,
        schema: str | None = None,
        row_limit: int | None = None,
        statement_id: str | None = None,
    ) -> StatementResult:
        if len(split_statements(statement)) != 1:
            raise InvalidInputError(
                "statement: a statement is one SQL statement (execute_script runs several)"
            )
        return self.execute_script(
            statement,
            parameters=parameters,
            catalog=catalog,
            schema=schema,
            row_limit=row_limit,
            statement_id=statement_id,
        ).result

    def execute_script(
        self,
        text: str,
        *,
        parameters: Mapping[str, Parameter] | None = None,
        catalog: str | None = None,
        schema: str | None = None,
        row_limit: int | None = None,
        statement_id: str | None = None,
        on_statement: Callable[[StatementTiming], None] | None = None,
    ) -> ScriptResult:
        del catalog  # the database is the one catalog
        statements = split_statements(text)
        if not statements:
            raise InvalidInputError("statement: holds no SQL statement")
        current_schema = self._schema(schema or DEFAULT_SCHEMA)
        running_id = statement_id or self._new_id()
        timings: list[StatementTiming] = []
        result: StatementResult | None = None
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            with self._lock:
                self._running[running_id] = connection
            try:
                for source in statements:
                    expression = bind_parameters(parse_statement(source), parameters or {}, source)
                    if running_id in self._canceled:
                        raise SqlCanceledError(f"statement {source.first_line!r} was canceled")
                    if isinstance(expression, exp.Use):
                        current_schema = self._schema(expression.this.name)
                        result = _result(source, (), pa.table({}), False, time.time_ns(), 0.0, "")
                    else:
                        result = self._run(
                            connection, source, expression, current_schema, row_limit, running_id
                        )
                    timing = StatementTiming(
                        source.text, source.line, result.duration_ms, result.row_count
                    )
                    timings.append(timing)
                    if on_statement is not None:
                        on_statement(timing)
            finally:
                with self._lock:
                    self._running.pop(running_id, None)
                    self._canceled.discard(running_id)
        assert result is not None
        return ScriptResult(result=result, timings=tuple(timings))

    def cancel(self, statement_id: str) -> bool:
        """Cancel ``statement_id``; a cancel request reaching the server before the query does
        is lost, so it is repeated (for up to :data:`_CANCEL_PATIENCE_S`) until the statement
        has stopped."""
        with self._lock:
            if statement_id not in self._running:
                return False
            self._canceled.add(statement_id)
        deadline = time.monotonic() + _CANCEL_PATIENCE_S
        while time.monotonic() < deadline:
            with self._lock:
                connection = self._running.get(statement_id)
                if connection is None:
                    break
                _cancel(connection)
            time.sleep(0.05)
        return True

    def interrupt(self) -> None:
        with self._lock:
            running = list(self._running.items())
            self._canceled.update(statement_id for statement_id, _ in running)
        for _, connection in running:
            _cancel(connection)

    def close(self) -> None:
        self.interrupt()
        self._engine.dispose()

    def translate(self, source: SourceStatement, schema: str | None = None) -> str:
        """The statement as this database's SQL (what :meth:`execute` runs)."""
        expression = parse_statement(source)
        return self._translate(source, expression, self._schema(schema or DEFAULT_SCHEMA))

    def _new_id(self) -> str:
        with self._lock:
            self._next += 1
            return f"local-{self._next}"

    def _schema(self, schema: str) -> str:
        schema = schema.strip("`")
        return self.default_schema if schema.lower() == DEFAULT_SCHEMA else schema

    def _translate(self, source: SourceStatement, expression: exp.Expr, schema: str) -> str:
        expression = rewrite_range(expression, self.dialect)
        ctes = {cte.alias_or_name.lower() for cte in expression.find_all(exp.CTE)}
        for table in list(expression.find_all(exp.Table)):
            if is_table_function(table):
                continue
            table.set("catalog", None)
            db = table.args.get("db")
            if db is not None:
                table.set("db", exp.to_identifier(self._schema(table.db)))
            elif table.name and table.name.lower() not in ctes:
                table.set("db", exp.to_identifier(schema))
        return generate(expression, self.dialect, source)

    def _run(
        self,
        connection: Connection,
        source: SourceStatement,
        expression: exp.Expr,
        schema: str,
        row_limit: int | None,
        running_id: str,
    ) -> StatementResult:
        started_ms = time.time_ns() // 1_000_000
        started = time.perf_counter()
        sql = self._translate(source, expression, schema)
        # The driver's own cursor, given no parameters: SQLAlchemy's exec_driver_sql would hand
        # the driver an empty parameter list, and psycopg would then read '%' as a placeholder.
        dbapi_error: type[Exception] = self._engine.dialect.loaded_dbapi.Error
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql)
            # None where the statement returns no rows (DBAPI; the stubs say a sequence)
            description: Sequence[Any] | None = cursor.description
            if description is None:
                return _result(source, (), pa.table({}), False, started_ms, _since(started), sql)
            raw_rows = cursor.fetchall() if row_limit is None else cursor.fetchmany(row_limit + 1)
        except dbapi_error as error:
            if running_id in self._canceled:
                raise SqlCanceledError(f"statement {source.first_line!r} was canceled") from None
            lines = str(error).strip().splitlines()
            raise source.error(lines[0] if lines else type(error).__name__) from None
        finally:
            cursor.close()
        truncated = row_limit is not None and len(raw_rows) > row_limit
        rows_list = [tuple(row) for row in raw_rows[: row_limit if truncated else None]]
        table = _arrow_table(description, rows_list)
        columns = tuple(
            ResultColumn.of(field.name, i, spark_type_of_arrow(field.type))
            for i, field in enumerate(table.schema)
        )
        return _result(source, columns, table, truncated, started_ms, _since(started), sql)


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _result(
    source: SourceStatement,
    columns: tuple[ResultColumn, ...],
    rows: pa.Table,
    truncated: bool,
    started_ms: int,
    duration_ms: float,
    executed: str,
) -> StatementResult:
    return StatementResult(
        statement=source.text,
        line=source.line,
        columns=columns,
        rows=rows,
        truncated=truncated,
        started_ms=started_ms,
        duration_ms=duration_ms,
        executed=executed,
    )


def _arrow_table(description: Sequence[Any], rows: list[tuple[Any, ...]]) -> pa.Table:
    """The rows as Arrow, typed by the driver's column types where known, else by the values."""
    arrays = []
    names = []
    for index, column in enumerate(description):
        names.append(str(column[0]))
        values = [row[index] for row in rows]
        known = _POSTGRES_TYPES.get(column[1]) if isinstance(column[1], int) else None
        arrays.append(_array(values, known))
    return pa.Table.from_arrays(arrays, names=names) if names else pa.table({})


def _array(values: list[Any], known: pa.DataType | None) -> pa.Array:
    if known is not None:
        try:
            return pa.array(values, type=known)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    if values and all(v is None for v in values) and known is None:
        return pa.array(values, type=pa.string())
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def _cancel(connection: Connection) -> None:
    """Ask the database to cancel what ``connection`` runs (PostgreSQL: a cancel request)."""
    try:
        driver = connection.connection.driver_connection
    except sqlalchemy.exc.SQLAlchemyError:
        return
    cancel = getattr(driver, "cancel_safe", None) or getattr(driver, "cancel", None)
    if callable(cancel):
        cancel()
