"""The embedded default warehouse: Databricks SQL on DuckDB over the lakehouse.

Each statement is parsed (sqlglot, Databricks dialect), its ``:name`` parameters bound, and then
either done by the warehouse itself or translated to DuckDB and run:

- done here: USE [CATALOG|SCHEMA]; CREATE/DROP CATALOG and SCHEMA; CREATE TABLE (columns or
  AS SELECT, OR REPLACE, IF NOT EXISTS); INSERT INTO / INSERT OVERWRITE; DELETE; UPDATE;
  TRUNCATE; DROP TABLE; SHOW CATALOGS / SCHEMAS / TABLES; DESCRIBE [TABLE]. Lakehouse writes go
  to the lakehouse's files (:mod:`brickyard.warehouse.duckdb_lakehouse`), so Spark sees them.
- Views (CREATE [TEMP] VIEW) are the warehouse's own: kept in its DuckDB database for its
  lifetime and shared by its statements, not written to the lakehouse (the lakehouse has no
  view format Spark's catalog reads). A view may not take a lakehouse table's name.
- everything else (queries) runs on DuckDB, each ``execute`` on a DuckDB connection of its
  own whose current catalog and schema are the ones asked for (``main``.``default`` unless told).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlglot import exp

from brickyard.compute.spark.lakehouse import DEFAULT_CATALOG, DEFAULT_SCHEMA
from brickyard.errors import BrickyardError, InvalidInputError, SqlCanceledError, SqlError
from brickyard.warehouse.catalog_listing import describe_result, show_result
from brickyard.warehouse.dialect import (
    SourceStatement,
    duckdb_database,
    generate,
    map_catalog_names_in_text,
    name_parts,
    name_projections_as_spark,
    parse_statement,
    qualify_for_duckdb,
    rewrite_range,
    split_statements,
)
from brickyard.warehouse.duckdb_lakehouse import DuckDBLakehouse, WriteOutcome
from brickyard.warehouse.lakehouse_files import (
    TableName,
    catalog_exists,
    schema_exists,
)
from brickyard.warehouse.parameters import Parameter, bind_parameters
from brickyard.warehouse.results import (
    ResultColumn,
    ScriptResult,
    StatementResult,
    StatementTiming,
)
from brickyard.warehouse.spark_types import (
    SparkType,
    quote_identifier,
    spark_type_of_duckdb,
)

_SHOW = re.compile(
    r"SHOW\s+(?P<what>CATALOGS|SCHEMAS|DATABASES|TABLES)"
    r"(?:\s+(?:IN|FROM)\s+(?P<where>[\w`.]+))?(?:\s+(?:LIKE\s+)?'(?P<like>[^']*)')?\s*",
    re.IGNORECASE,
)
_CATALOG_DDL = re.compile(
    r"(?P<verb>CREATE|DROP)\s+CATALOG\s+(?P<exists>IF\s+(?:NOT\s+)?EXISTS\s+)?(?P<name>[\w`]+)"
    r"(?:\s+(?P<cascade>CASCADE|RESTRICT))?\s*",
    re.IGNORECASE,
)


_CANCEL_PATIENCE_S = 2.0


class _Session:
    """The current catalog and schema of one ``execute`` or script."""

    def __init__(self, catalog: str, schema: str) -> None:
        self.catalog = catalog
        self.schema = schema

    def table(self, table: exp.Table) -> TableName:
        catalog, schema, name = name_parts(table)
        return TableName(catalog or self.catalog, schema or self.schema, name)


class DuckDBWarehouse:
    """The embedded warehouse over the lakehouse at ``lakehouse_root``
    (``Settings.lakehouse_root``). Thread-safe: statements run side by side."""

    def __init__(self, lakehouse_root: Path, *, threads: int | None = None) -> None:
        self.lakehouse_root = lakehouse_root
        self._lakehouse = DuckDBLakehouse(lakehouse_root, threads=threads)
        self._running: dict[str, duckdb.DuckDBPyConnection] = {}
        self._running_lock = threading.Lock()
        self._canceled: set[str] = set()
        self._next = 0

    # -- the Warehouse interface --------------------------------------------------------------

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
        statements = split_statements(statement)
        if len(statements) != 1:
            raise InvalidInputError(
                f"statement: holds {len(statements)} statements; a statement is one SQL "
                "statement (scripts of several are run by execute_script)"
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
        statements = split_statements(text)
        if not statements:
            raise InvalidInputError("statement: holds no SQL statement")
        if row_limit is not None and row_limit < 0:
            raise InvalidInputError("row_limit: must not be negative")
        session = self._session(catalog, schema)
        running_id = statement_id or self._new_id()
        cursor = self._lakehouse.cursor()
        with self._running_lock:
            self._running[running_id] = cursor
        try:
            self._lakehouse.sync()
            self._use(cursor, session)
            timings: list[StatementTiming] = []
            result: StatementResult | None = None
            for index, source in enumerate(statements):
                if index > 0:  # the statements before may have written tables
                    self._lakehouse.sync()
                result = self._run(cursor, source, session, parameters or {}, row_limit, running_id)
                timing = StatementTiming(
                    statement=source.text,
                    line=source.line,
                    duration_ms=result.duration_ms,
                    row_count=result.row_count,
                )
                timings.append(timing)
                if on_statement is not None:
                    on_statement(timing)
            assert result is not None
            return ScriptResult(result=result, timings=tuple(timings))
        except duckdb.InterruptException:  # between statements (USE, a sync)
            raise SqlCanceledError("the statement was canceled") from None
        finally:
            with self._running_lock:
                self._running.pop(running_id, None)
                self._canceled.discard(running_id)
            cursor.close()

    def cancel(self, statement_id: str) -> bool:
        """Interrupt the running statement (or script) ``statement_id``; False where none runs.

        DuckDB's interrupt only stops a query already running on the connection, so one that
        arrives while the statement is still being parsed would be lost: the statement checks
        for cancellation before it runs each query, and the interrupt is repeated (for up to
        :data:`_CANCEL_PATIENCE_S`) until the statement has stopped."""
        with self._running_lock:
            cursor = self._running.get(statement_id)
            if cursor is None:
                return False
            self._canceled.add(statement_id)
        deadline = time.monotonic() + _CANCEL_PATIENCE_S
        while True:
            with self._running_lock:  # a statement closes its cursor only once unregistered
                if self._running.get(statement_id) is not cursor:
                    return True
                cursor.interrupt()
            if time.monotonic() > deadline:
                return True
            time.sleep(0.005)

    def interrupt(self) -> None:
        """Interrupt every running statement (the warehouse is stopping)."""
        with self._running_lock:
            self._canceled.update(self._running)
            for cursor in self._running.values():
                cursor.interrupt()

    def close(self) -> None:
        """Interrupt what runs, give it a moment to stop (DuckDB refuses to close a connection
        a statement still uses), then close the database."""
        deadline = time.monotonic() + _CANCEL_PATIENCE_S
        while True:
            self.interrupt()
            with self._running_lock:
                if not self._running or time.monotonic() > deadline:
                    break
            time.sleep(0.01)
        self._lakehouse.close()

    # -- statements ---------------------------------------------------------------------------

    def _new_id(self) -> str:
        with self._running_lock:
            self._next += 1
            return f"local-{self._next}"

    def _session(self, catalog: str | None, schema: str | None) -> _Session:
        session = _Session((catalog or DEFAULT_CATALOG).lower(), (schema or DEFAULT_SCHEMA).lower())
        if not catalog_exists(self.lakehouse_root, session.catalog):
            raise InvalidInputError(f"catalog: `{session.catalog}` does not exist")
        if not schema_exists(self.lakehouse_root, session.catalog, session.schema):
            raise InvalidInputError(
                f"schema: `{session.catalog}`.`{session.schema}` does not exist"
            )
        return session

    def _use(self, cursor: duckdb.DuckDBPyConnection, session: _Session) -> None:
        database = quote_identifier(duckdb_database(session.catalog))
        cursor.execute(f"USE {database}.{quote_identifier(session.schema)}")

    def _run(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        session: _Session,
        parameters: Mapping[str, Parameter],
        row_limit: int | None,
        running_id: str,
    ) -> StatementResult:
        started_ms = time.time_ns() // 1_000_000
        started = time.perf_counter()
        expression = bind_parameters(parse_statement(source), parameters, source)
        if running_id in self._canceled:
            raise SqlCanceledError(f"statement {source.first_line!r} was canceled")
        try:
            outcome = self._dispatch(cursor, source, expression, session, row_limit)
        except duckdb.InterruptException:
            raise SqlCanceledError(f"statement {source.first_line!r} was canceled") from None
        except duckdb.Error as error:
            if running_id in self._canceled:
                raise SqlCanceledError(f"statement {source.first_line!r} was canceled") from None
            raise source.error(_reason(error)) from None
        except SqlError:
            raise
        except BrickyardError as error:
            raise source.error(str(error)) from None
        columns, rows, truncated, executed = outcome
        return StatementResult(
            statement=source.text,
            line=source.line,
            columns=columns,
            rows=rows,
            truncated=truncated,
            started_ms=started_ms,
            duration_ms=(time.perf_counter() - started) * 1000,
            executed=executed,
        )

    def _dispatch(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Expr,
        session: _Session,
        row_limit: int | None,
    ) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
        nothing: tuple[tuple[ResultColumn, ...], pa.Table, bool, str] = (
            (),
            pa.table({}),
            False,
            "",
        )
        lakehouse = self._lakehouse
        if isinstance(expression, exp.Use):
            self._apply_use(cursor, expression, session)
            return nothing
        if isinstance(expression, exp.Command):
            return self._command(source, session)
        if isinstance(expression, exp.Create):
            kind = (expression.args.get("kind") or "").upper()
            if kind == "TABLE":
                outcome = self._create_table(cursor, source, expression, session)
                return _counts(outcome) if expression.expression is not None else nothing
            if kind in ("SCHEMA", "DATABASE"):
                target = expression.this
                catalog = (target.catalog or session.catalog).lower()
                lakehouse.create_schema(
                    catalog, target.db.lower(), if_not_exists=bool(expression.args.get("exists"))
                )
                return nothing
            if kind == "VIEW":
                return self._create_view(cursor, source, expression, session)
        if isinstance(expression, exp.Drop):
            kind = (expression.args.get("kind") or "").upper()
            if_exists = bool(expression.args.get("exists"))
            if kind == "TABLE":
                for table in expression.args.get("tables") or [expression.this]:
                    name = session.table(table)
                    if lakehouse.is_table_view(name) or not self._is_session_view(cursor, name):
                        lakehouse.drop_table(name, if_exists=if_exists)
                    else:
                        cursor.execute(f"DROP VIEW {_duckdb_name(name)}")
                return nothing
            if kind in ("SCHEMA", "DATABASE"):
                for target in expression.args.get("tables") or [expression.this]:
                    catalog = (target.catalog or session.catalog).lower()
                    lakehouse.drop_schema(
                        catalog,
                        target.db.lower(),
                        if_exists=if_exists,
                        cascade=bool(expression.args.get("cascade")),
                    )
                return nothing
            if kind == "VIEW":
                for table in expression.args.get("tables") or [expression.this]:
                    name = session.table(table)
                    if lakehouse.is_table_view(name):
                        raise InvalidInputError(f"{name} is a table, not a view (DROP TABLE)")
                    cursor.execute(
                        f"DROP VIEW {'IF EXISTS ' if if_exists else ''}{_duckdb_name(name)}"
                    )
                return nothing
        if isinstance(expression, exp.Insert):
            return _counts(self._insert(cursor, source, expression, session))
        if isinstance(expression, exp.TruncateTable):
            for table in expression.expressions:
                lakehouse.truncate(session.table(table))
            return nothing
        if isinstance(expression, exp.Delete):
            return _affected(self._delete(cursor, source, expression, session))
        if isinstance(expression, exp.Update):
            return _affected(self._update(cursor, source, expression, session))
        if isinstance(expression, exp.Describe):
            return self._describe(expression, session)
        if isinstance(expression, (exp.Merge, exp.Alter)):
            raise source.error(
                f"{type(expression).__name__.upper()} is not supported by brickyard's warehouse yet"
            )
        return self._query(cursor, source, expression, session, row_limit)

    # -- reads --------------------------------------------------------------------------------

    def _duckdb_sql(self, source: SourceStatement, expression: exp.Expr, session: _Session) -> str:
        expression = name_projections_as_spark(rewrite_range(expression, "duckdb"))
        expression = qualify_for_duckdb(expression, catalog=session.catalog)
        return generate(expression, "duckdb", source)

    def _query(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Expr,
        session: _Session,
        row_limit: int | None,
    ) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
        sql = self._duckdb_sql(source, expression, session)
        # None for statements without a result (the stubs do not say so)
        relation: duckdb.DuckDBPyRelation | None = cursor.sql(sql)
        if relation is None:  # a statement without a result (SET, ...)
            return (), pa.table({}), False, sql
        columns = tuple(
            ResultColumn.of(name, position, spark_type_of_duckdb(kind, column=name))
            for position, (name, kind) in enumerate(
                zip(relation.columns, relation.types, strict=True)
            )
        )
        truncated = False
        if row_limit is not None:
            rows = relation.limit(row_limit + 1).to_arrow_table()
            if rows.num_rows > row_limit:
                rows, truncated = rows.slice(0, row_limit), True
        else:
            rows = relation.to_arrow_table()
        return columns, rows, truncated, sql

    def _command(
        self, source: SourceStatement, session: _Session
    ) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
        text = source.text.strip().rstrip(";")
        show = _SHOW.fullmatch(text)
        if show is not None:
            return show_result(
                show, self.lakehouse_root, catalog=session.catalog, schema=session.schema
            )
        catalog_ddl = _CATALOG_DDL.fullmatch(text)
        if catalog_ddl is not None:
            name = catalog_ddl.group("name").strip("`").lower()
            if catalog_ddl.group("verb").upper() == "CREATE":
                self._lakehouse.create_catalog(
                    name, if_not_exists=bool(catalog_ddl.group("exists"))
                )
                return (), pa.table({}), False, ""
            raise source.error("DROP CATALOG is not supported by brickyard's warehouse yet")
        raise source.error("is not a statement brickyard's warehouse can run")

    def _describe(
        self, expression: exp.Describe, session: _Session
    ) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
        target = expression.this
        if not isinstance(target, exp.Table):
            raise InvalidInputError("DESCRIBE: describes a table (DESCRIBE [TABLE] name)")
        return describe_result(self._lakehouse.metadata(session.table(target)))

    def _apply_use(
        self, cursor: duckdb.DuckDBPyConnection, expression: exp.Use, session: _Session
    ) -> None:
        kind = expression.args.get("kind")
        kind_name = kind.name.upper() if kind is not None else "SCHEMA"
        target = expression.this
        if kind_name == "CATALOG":
            catalog, schema = target.name.lower(), DEFAULT_SCHEMA
            if not catalog_exists(self.lakehouse_root, catalog):
                raise InvalidInputError(
                    f"[NO_SUCH_CATALOG_EXCEPTION] catalog `{catalog}` not found"
                )
        else:
            catalog = (target.db or session.catalog).lower()
            schema = target.name.lower()
            if not schema_exists(self.lakehouse_root, catalog, schema):
                raise InvalidInputError(
                    f"[SCHEMA_NOT_FOUND] schema `{catalog}`.`{schema}` not found"
                )
        session.catalog, session.schema = catalog, schema
        self._use(cursor, session)

    # -- writes -------------------------------------------------------------------------------

    def _create_table(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Create,
        session: _Session,
    ) -> WriteOutcome:
        target = expression.this
        column_defs: list[exp.ColumnDef] = []
        if isinstance(target, exp.Schema):
            column_defs = [e for e in target.expressions if isinstance(e, exp.ColumnDef)]
            target = target.this
        table = session.table(target)
        properties = _table_properties(expression)
        replace = bool(expression.args.get("replace"))
        if_not_exists = bool(expression.args.get("exists"))
        query = expression.expression
        if query is not None:
            if column_defs:
                raise source.error("CREATE TABLE ... AS SELECT takes its columns from the query")
            return self._lakehouse.create_table_as(
                cursor,
                table,
                self._duckdb_sql(source, query, session),
                properties=properties,
                replace=replace,
                if_not_exists=if_not_exists,
            )
        if not column_defs:
            raise source.error("CREATE TABLE needs columns or AS SELECT")
        columns = [(d.name, self._column_type(cursor, source, d)) for d in column_defs]
        return self._lakehouse.create_table(
            table, columns, properties=properties, replace=replace, if_not_exists=if_not_exists
        )

    def _column_type(
        self, cursor: duckdb.DuckDBPyConnection, source: SourceStatement, column: exp.ColumnDef
    ) -> SparkType:
        kind = column.args.get("kind")
        if not isinstance(kind, exp.DataType):
            raise source.error(f"column {column.name!r} needs a type")
        duckdb_text = generate(kind, "duckdb", source)
        try:
            return spark_type_of_duckdb(cursor.sqltype(duckdb_text), column=column.name)
        except duckdb.Error:
            raise source.error(
                f"column {column.name!r}: type {kind.sql('databricks')} is not supported"
            ) from None

    def _create_view(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Create,
        session: _Session,
    ) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
        target = (
            expression.this.this if isinstance(expression.this, exp.Schema) else expression.this
        )
        name = session.table(target)
        if self._lakehouse.is_table_view(name):
            raise InvalidInputError(f"[TABLE_OR_VIEW_ALREADY_EXISTS] {name} is a lakehouse table")
        properties = expression.args.get("properties")
        if properties is not None:  # TEMPORARY: DuckDB's are per connection; these are shared
            for prop in list(properties.expressions):
                if isinstance(prop, exp.TemporaryProperty):
                    prop.pop()
        target.set("catalog", exp.to_identifier(name.catalog))
        target.set("db", exp.to_identifier(name.schema))
        sql = self._duckdb_sql(source, expression, session)
        cursor.execute(sql)
        return (), pa.table({}), False, sql

    def _is_session_view(self, cursor: duckdb.DuckDBPyConnection, name: TableName) -> bool:
        row = cursor.execute(
            "SELECT count(*) FROM duckdb_views() WHERE database_name = ? AND schema_name = ? "
            "AND view_name = ?",
            [duckdb_database(name.catalog), name.schema, name.table],
        ).fetchone()
        return bool(row and row[0])

    def _insert(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Insert,
        session: _Session,
    ) -> WriteOutcome:
        target = expression.this
        column_list: list[str] | None = None
        if isinstance(target, exp.Schema):
            column_list = [e.name for e in target.expressions]
            target = target.this
        if not isinstance(target, exp.Table):
            raise source.error("INSERT writes to a table (INSERT INTO catalog.schema.table ...)")
        for unsupported in ("partition", "by_name", "where"):
            if expression.args.get(unsupported):
                raise source.error(
                    f"INSERT with {unsupported.upper().replace('_', ' ')} is not supported by "
                    "brickyard's warehouse yet"
                )
        query = expression.expression
        if query is None:
            raise source.error("INSERT needs VALUES or a query")
        return self._lakehouse.insert(
            cursor,
            session.table(target),
            self._duckdb_sql(source, query, session),
            column_list=column_list,
            overwrite=bool(expression.args.get("overwrite")),
        )

    def _delete(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Delete,
        session: _Session,
    ) -> WriteOutcome:
        table = session.table(expression.this)
        before = self._count(cursor, table)
        where = expression.args.get("where")
        keep = exp.select("*").from_(_table_expression(table))
        if where is None:
            keep = keep.where(exp.false())
        else:  # rows the condition is not true for (false or null) stay
            matched = exp.Is(this=exp.Paren(this=where.this.copy()), expression=exp.true())
            keep = keep.where(exp.Not(this=exp.Paren(this=matched)))
        outcome = self._lakehouse.insert(
            cursor,
            table,
            self._duckdb_sql(source, keep, session),
            column_list=None,
            overwrite=True,
            operation="DELETE",
        )
        return WriteOutcome(rows=before - outcome.rows, version=outcome.version)

    def _update(
        self,
        cursor: duckdb.DuckDBPyConnection,
        source: SourceStatement,
        expression: exp.Update,
        session: _Session,
    ) -> WriteOutcome:
        table = session.table(expression.this)
        if expression.args.get("from_") or expression.args.get("from"):
            raise source.error("UPDATE ... FROM is not supported by brickyard's warehouse yet")
        columns = self._lakehouse.metadata(table).columns
        assignments: dict[str, exp.Expr] = {}
        for assignment in expression.expressions:
            if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
                raise source.error("UPDATE sets columns: SET column = value")
            assignments[assignment.this.name.lower()] = assignment.expression
        known = {name.lower() for name, _ in columns}
        for name in assignments:
            if name not in known:
                raise source.error(f"[UNRESOLVED_COLUMN] {table} has no column {name!r}")
        where = expression.args.get("where")
        condition = where.this if where is not None else exp.true()
        selected: list[exp.Expr] = []
        for name, _ in columns:
            value = assignments.get(name.lower())
            column = exp.column(name, quoted=True)
            if value is None:
                selected.append(column)
                continue
            chosen = exp.Case(
                ifs=[exp.If(this=exp.paren(condition.copy()), true=value.copy())], default=column
            )
            selected.append(exp.alias_(chosen, name, quoted=True))
        query = exp.select(*selected).from_(_table_expression(table))
        matched = self._count(cursor, table, condition)
        outcome = self._lakehouse.insert(
            cursor,
            table,
            self._duckdb_sql(source, query, session),
            column_list=None,
            overwrite=True,
            operation="UPDATE",
        )
        return WriteOutcome(rows=matched, version=outcome.version)

    def _count(
        self,
        cursor: duckdb.DuckDBPyConnection,
        table: TableName,
        condition: exp.Expr | None = None,
    ) -> int:
        self._lakehouse.metadata(table)  # an error naming the table where it does not exist
        query = exp.select("count(*)").from_(_table_expression(table))
        if condition is not None:
            query = query.where(condition.copy())
        sql = generate(
            qualify_for_duckdb(query, catalog=table.catalog), "duckdb", SourceStatement("")
        )
        row = cursor.execute(sql).fetchone()
        return int(row[0]) if row else 0


_MISSING_TABLE = re.compile(r"Table with name (\S+) does not exist!?")


def _reason(error: duckdb.Error) -> str:
    """DuckDB's message in Databricks' terms: its first paragraph (the rest quotes the SQL
    DuckDB ran, not what was written), lakehouse catalog names, Databricks' error class where
    one fits."""
    text = str(error).strip().split("\n\n")[0].split("\nDid you mean")[0].strip()
    text = map_catalog_names_in_text(text)
    missing = _MISSING_TABLE.search(text)
    if missing is not None:
        return f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{missing.group(1)}` cannot be found"
    return text


def _table_expression(table: TableName) -> exp.Table:
    return exp.table_(table.table, db=table.schema, catalog=table.catalog, quoted=True)


def _duckdb_name(table: TableName) -> str:
    return ".".join(
        quote_identifier(part)
        for part in (duckdb_database(table.catalog), table.schema, table.table)
    )


def _table_properties(expression: exp.Create) -> dict[str, str]:
    """TBLPROPERTIES (and COMMENT) as the table's properties; USING and PARTITIONED BY are
    accepted and ignored (the lakehouse stores Parquet, unpartitioned)."""
    out: dict[str, str] = {}
    properties = expression.args.get("properties")
    for prop in properties.expressions if properties is not None else []:
        if isinstance(prop, exp.Property) and type(prop) is exp.Property:
            key = prop.this.name if isinstance(prop.this, exp.Expr) else str(prop.this)
            value = prop.args.get("value")
            out[str(key)] = value.name if isinstance(value, exp.Expr) else str(value)
        elif isinstance(prop, exp.SchemaCommentProperty):
            out["comment"] = prop.this.name
    return out


def _counts(outcome: WriteOutcome) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
    """Databricks' result of a write: affected and inserted rows."""
    columns = (
        ResultColumn.of("num_affected_rows", 0, "long"),
        ResultColumn.of("num_inserted_rows", 1, "long"),
    )
    rows = pa.table(
        {
            "num_affected_rows": pa.array([outcome.rows], pa.int64()),
            "num_inserted_rows": pa.array([outcome.rows], pa.int64()),
        }
    )
    return columns, rows, False, ""


def _affected(outcome: WriteOutcome) -> tuple[tuple[ResultColumn, ...], pa.Table, bool, str]:
    columns = (ResultColumn.of("num_affected_rows", 0, "long"),)
    rows = pa.table({"num_affected_rows": pa.array([outcome.rows], pa.int64())})
    return columns, rows, False, ""
