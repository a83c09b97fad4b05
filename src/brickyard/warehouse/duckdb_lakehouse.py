"""A DuckDB database that shows every lakehouse table by its three-level name, and writes
lakehouse tables the way Spark's ``LakehouseCatalog`` reads them.

Reading: each lakehouse catalog is an attached in-memory DuckDB database (named by
:func:`~brickyard.warehouse.dialect.duckdb_database`: ``main`` is ``_main``), each schema a
DuckDB schema, each table a view over ``read_parquet`` of its folder's ``part-*.parquet`` files,
its columns cast to the types of ``_brickyard_table.json`` (so a Spark ``timestamp`` written as
INT96 and one written by the warehouse read alike). A table without data files is a typed empty
view. :meth:`DuckDBLakehouse.sync` brings the views up to date with the folders before each
statement; it only looks at the metadata file's and the folder's mtimes, so an unchanged
lakehouse costs a few ``stat`` calls.

Writing: the rows are computed by DuckDB and written with ``COPY ... TO`` as one Parquet file in
a staging folder, then moved into the table under its writer lock (see
:mod:`brickyard.warehouse.lakehouse_files`), and a commit is recorded
(:mod:`brickyard.warehouse.commit_log`). A failure before the move (a bad cast, an interrupt)
leaves the table as it was; a failed CREATE TABLE AS leaves no table.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from brickyard.compute.spark.lakehouse import TABLE_METADATA_FILE, catalog_names
from brickyard.errors import InvalidInputError
from brickyard.warehouse.commit_log import record_commit
from brickyard.warehouse.dialect import duckdb_database
from brickyard.warehouse.lakehouse_files import (
    DATA_FILE_GLOB,
    TableMetadata,
    TableName,
    data_files,
    drop_table_folder,
    has_data_files,
    install_new_table,
    new_data_file_name,
    read_metadata,
    replace_table_data,
    require_schema,
    schema_names,
    staging_folder,
    table_lock,
    table_names,
)
from brickyard.warehouse.spark_types import (
    SparkType,
    duckdb_type_of_spark,
    quote_identifier,
    spark_type_of_duckdb,
)

_DUCKDB_OWN_SCHEMAS = frozenset({"main", "information_schema", "pg_catalog"})


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def qualified(database: str, schema: str, name: str) -> str:
    return ".".join(quote_identifier(part) for part in (database, schema, name))


@dataclass(frozen=True)
class WriteOutcome:
    """What a lakehouse write did: rows written (or removed) and the commit's version."""

    rows: int
    version: int | None


class DuckDBLakehouse:
    """The DuckDB side of the lakehouse: one database instance, cursors for statements."""

    def __init__(self, lakehouse_root: Path, *, threads: int | None = None) -> None:
        self.root = lakehouse_root
        self.root.mkdir(parents=True, exist_ok=True)
        config: dict[str, str | bool | int | float | list[str]] = {}
        if threads is not None:
            config["threads"] = threads
        self._connection = duckdb.connect(":memory:", config=config)
        # Spark timestamps are instants; the warehouse shows and writes them in UTC.
        self._connection.execute("SET GLOBAL TimeZone = 'UTC'")
        self._admin = self._connection.cursor()
        self._sync_lock = threading.Lock()
        self._last_sync_started = float("-inf")
        self._databases: set[str] = set()
        self._schemas: set[tuple[str, str]] = set()
        self._views: dict[tuple[str, str, str], tuple[int, int, int]] = {}

    def close(self) -> None:
        self._admin.close()
        self._connection.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own for one statement or script (its USE is its own)."""
        return self._connection.cursor()

    # -- reading ------------------------------------------------------------------------------

    def sync(self) -> None:
        """Views for the lakehouse as its folders are now (see the module docstring).

        A sync that started after this call did looked at folders at least as new as this call
        would, so a caller that waited for one simply uses it: concurrent statements share a
        sync instead of each walking the folders in turn."""
        asked = time.monotonic()
        with self._sync_lock:
            if self._last_sync_started > asked:
                return
            self._last_sync_started = time.monotonic()
            seen_views: set[tuple[str, str, str]] = set()
            seen_schemas: set[tuple[str, str]] = set()
            catalogs = catalog_names(self.root)
            for catalog in catalogs:
                database = duckdb_database(catalog)
                if database not in self._databases:
                    self._admin.execute(f"ATTACH ':memory:' AS {quote_identifier(database)}")
                    self._databases.add(database)
                for schema in schema_names(self.root, catalog):
                    key = (database, schema)
                    seen_schemas.add(key)
                    if key not in self._schemas:
                        self._admin.execute(
                            "CREATE SCHEMA IF NOT EXISTS "
                            f"{quote_identifier(database)}.{quote_identifier(schema)}"
                        )
                        self._schemas.add(key)
                    self._sync_schema(catalog, database, schema, seen_views)
            for view in set(self._views) - seen_views:
                self._admin.execute(f"DROP VIEW IF EXISTS {qualified(*view)}")
                del self._views[view]
            for database, schema in set(self._schemas) - seen_schemas:
                if schema not in _DUCKDB_OWN_SCHEMAS and database in self._databases:
                    self._admin.execute(
                        "DROP SCHEMA IF EXISTS "
                        f"{quote_identifier(database)}.{quote_identifier(schema)} CASCADE"
                    )
                self._schemas.discard((database, schema))
            wanted = {duckdb_database(catalog) for catalog in catalogs}
            for database in self._databases - wanted:
                self._admin.execute(f"DETACH DATABASE IF EXISTS {quote_identifier(database)}")
                self._databases.discard(database)

    def _sync_schema(
        self, catalog: str, database: str, schema: str, seen: set[tuple[str, str, str]]
    ) -> None:
        folder = self.root / catalog / schema
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return
        for entry in entries:
            if entry.name[0] in "._" or not entry.is_dir():
                continue
            try:
                meta = (Path(entry.path) / TABLE_METADATA_FILE).stat()
                folder_stat = entry.stat()
            except FileNotFoundError:
                continue
            key = (database, schema, entry.name)
            seen.add(key)
            signature = (meta.st_mtime_ns, meta.st_size, folder_stat.st_mtime_ns)
            if self._views.get(key) == signature:
                continue
            metadata = read_metadata(Path(entry.path))
            if metadata is None:
                continue
            self._admin.execute(
                f"CREATE OR REPLACE VIEW {qualified(*key)} AS "
                + view_query(Path(entry.path), metadata)
            )
            self._views[key] = signature

    def is_table_view(self, table: TableName) -> bool:
        """Whether ``table`` is a lakehouse table's view (not a view a statement created)."""
        return (table.folder(self.root) / TABLE_METADATA_FILE).is_file()

    # -- writing ------------------------------------------------------------------------------

    def create_table(
        self,
        table: TableName,
        columns: list[tuple[str, SparkType]],
        *,
        properties: dict[str, str],
        replace: bool,
        if_not_exists: bool,
    ) -> WriteOutcome:
        """CREATE [OR REPLACE] TABLE [IF NOT EXISTS] with columns and no rows."""
        _check_unique(columns)
        metadata = TableMetadata.of_columns(columns, properties)
        with table_lock(self.root, table):
            existing = read_metadata(table.folder(self.root))
            if existing is not None and not replace:
                if if_not_exists:
                    return WriteOutcome(rows=0, version=None)
                raise _already_exists(table)
            if existing is not None:
                replace_table_data(table.folder(self.root), [], metadata=metadata, keep_old=False)
            else:
                require_schema(self.root, table.catalog, table.schema)
                with staging_folder(self.root) as staged:
                    install_new_table(self.root, table, staged, metadata)
            operation = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE"
            commit = record_commit(self.root, table, operation)
        return WriteOutcome(rows=0, version=commit.version)

    def create_table_as(
        self,
        cursor: duckdb.DuckDBPyConnection,
        table: TableName,
        query: str,
        *,
        properties: dict[str, str],
        replace: bool,
        if_not_exists: bool,
    ) -> WriteOutcome:
        """CREATE [OR REPLACE] TABLE [IF NOT EXISTS] ... AS ``query`` (DuckDB SQL)."""
        if not replace and read_metadata(table.folder(self.root)) is not None:
            if if_not_exists:
                return WriteOutcome(rows=0, version=None)
            raise _already_exists(table)
        require_schema(self.root, table.catalog, table.schema)
        relation = cursor.sql(query)
        columns = [
            (name, spark_type_of_duckdb(kind, column=name))
            for name, kind in zip(relation.columns, relation.types, strict=True)
        ]
        _check_unique(columns)
        metadata = TableMetadata.of_columns(columns, properties)
        with staging_folder(self.root) as staged:
            data_file = staged / new_data_file_name()
            rows = _copy(cursor, query, columns, data_file, source_columns=len(columns))
            with table_lock(self.root, table):
                folder = table.folder(self.root)
                existing = read_metadata(folder)
                if existing is not None and not replace:
                    if if_not_exists:
                        return WriteOutcome(rows=0, version=None)
                    raise _already_exists(table)
                if existing is not None:
                    replace_table_data(folder, [data_file], metadata=metadata, keep_old=False)
                else:
                    install_new_table(self.root, table, staged, metadata)
                operation = (
                    "CREATE OR REPLACE TABLE AS SELECT" if replace else "CREATE TABLE AS SELECT"
                )
                commit = record_commit(self.root, table, operation)
        return WriteOutcome(rows=rows, version=commit.version)

    def insert(
        self,
        cursor: duckdb.DuckDBPyConnection,
        table: TableName,
        query: str,
        *,
        column_list: list[str] | None,
        overwrite: bool,
        operation: str | None = None,
    ) -> WriteOutcome:
        """INSERT INTO / INSERT OVERWRITE ``table`` [(columns)] ``query`` (DuckDB SQL)."""
        metadata = self.metadata(table)
        table_columns = metadata.columns
        source_count = len(cursor.sql(query).columns)
        if column_list is None:
            positions = list(range(len(table_columns)))
            if source_count != len(table_columns):
                raise InvalidInputError(
                    f"[INSERT_COLUMN_ARITY_MISMATCH] cannot write to {table}: the table has "
                    f"{len(table_columns)} columns but the inserted data has {source_count}"
                )
            mapping: list[int | None] = list(positions)
        else:
            known = {name.lower(): i for i, (name, _) in enumerate(table_columns)}
            for name in column_list:
                if name.lower() not in known:
                    raise InvalidInputError(f"[UNRESOLVED_COLUMN] {table} has no column {name!r}")
            if source_count != len(column_list):
                raise InvalidInputError(
                    f"[INSERT_COLUMN_ARITY_MISMATCH] cannot write to {table}: {len(column_list)} "
                    f"columns are named but the inserted data has {source_count}"
                )
            given = {name.lower(): i for i, name in enumerate(column_list)}
            mapping = [given.get(name.lower()) for name, _ in table_columns]
        with staging_folder(self.root) as staged:
            data_file = staged / new_data_file_name()
            rows = _copy(
                cursor,
                query,
                table_columns,
                data_file,
                source_columns=source_count,
                mapping=mapping,
            )
            with table_lock(self.root, table):
                folder = table.folder(self.root)
                if read_metadata(folder) is None:
                    raise _not_found(table)
                replace_table_data(folder, [data_file], metadata=None, keep_old=not overwrite)
                commit = record_commit(
                    self.root,
                    table,
                    operation or ("INSERT OVERWRITE" if overwrite else "INSERT INTO"),
                )
        return WriteOutcome(rows=rows, version=commit.version)

    def truncate(self, table: TableName) -> WriteOutcome:
        with table_lock(self.root, table):
            folder = table.folder(self.root)
            if read_metadata(folder) is None:
                raise _not_found(table)
            removed = data_files(folder)
            replace_table_data(folder, [], metadata=None, keep_old=False)
            commit = record_commit(self.root, table, "TRUNCATE")
        return WriteOutcome(rows=len(removed), version=commit.version)

    def drop_table(self, table: TableName, *, if_exists: bool) -> WriteOutcome:
        with table_lock(self.root, table):
            folder = table.folder(self.root)
            if read_metadata(folder) is None:
                if if_exists:
                    return WriteOutcome(rows=0, version=None)
                raise _not_found(table)
            drop_table_folder(folder)
            commit = record_commit(self.root, table, "DROP TABLE")
        return WriteOutcome(rows=0, version=commit.version)

    def create_schema(self, catalog: str, schema: str, *, if_not_exists: bool) -> None:
        if not (self.root / catalog).is_dir() and catalog not in catalog_names(self.root):
            raise InvalidInputError(f"[NO_SUCH_CATALOG_EXCEPTION] catalog `{catalog}` not found")
        folder = self.root / catalog / schema
        if folder.is_dir():
            if if_not_exists:
                return
            raise InvalidInputError(
                f"[SCHEMA_ALREADY_EXISTS] schema `{catalog}`.`{schema}` already exists"
            )
        folder.mkdir(parents=True)

    def drop_schema(self, catalog: str, schema: str, *, if_exists: bool, cascade: bool) -> None:
        folder = self.root / catalog / schema
        if not folder.is_dir():
            if if_exists:
                return
            raise InvalidInputError(f"[SCHEMA_NOT_FOUND] schema `{catalog}`.`{schema}` not found")
        tables = table_names(self.root, catalog, schema)
        if tables and not cascade:
            raise InvalidInputError(
                f"[SCHEMA_NOT_EMPTY] cannot drop schema `{catalog}`.`{schema}`: it holds "
                f"{len(tables)} table(s); DROP SCHEMA ... CASCADE drops them too"
            )
        for name in tables:
            self.drop_table(TableName(catalog, schema, name), if_exists=True)
        drop_table_folder(folder)

    def create_catalog(self, catalog: str, *, if_not_exists: bool) -> None:
        folder = self.root / catalog
        if catalog[0] in "._" or "/" in catalog:
            raise InvalidInputError(f"catalog name {catalog!r}: may not start with '_' or '.'")
        if folder.is_dir() or catalog in catalog_names(self.root):
            if if_not_exists:
                return
            raise InvalidInputError(f"[CATALOG_ALREADY_EXISTS] catalog `{catalog}` already exists")
        (folder / "default").mkdir(parents=True)

    def metadata(self, table: TableName) -> TableMetadata:
        metadata = read_metadata(table.folder(self.root))
        if metadata is None:
            raise _not_found(table)
        return metadata


def view_query(folder: Path, metadata: TableMetadata) -> str:
    """The SELECT of a table's view: its data files, cast to its schema's types."""
    columns = metadata.columns
    if not columns:
        return "SELECT NULL WHERE false"
    if not has_data_files(folder):
        select = ", ".join(
            f"CAST(NULL AS {duckdb_type_of_spark(kind)}) AS {quote_identifier(name)}"
            for name, kind in columns
        )
        return f"SELECT {select} WHERE false"
    select = ", ".join(
        f"CAST({quote_identifier(name)} AS {duckdb_type_of_spark(kind)}) "
        f"AS {quote_identifier(name)}"
        for name, kind in columns
    )
    pattern = quote_literal(str(folder / DATA_FILE_GLOB))
    return (
        f"SELECT {select} FROM read_parquet({pattern}, union_by_name = true, "
        "hive_partitioning = false)"
    )


def _copy(
    cursor: duckdb.DuckDBPyConnection,
    query: str,
    columns: list[tuple[str, SparkType]],
    target: Path,
    *,
    source_columns: int,
    mapping: list[int | None] | None = None,
) -> int:
    """Write ``query``'s rows as ``columns`` (source column ``mapping[i]`` for column ``i``,
    null where None) to the Parquet file ``target``; the number of rows written."""
    aliases = [f"c{i}" for i in range(source_columns)]
    positions = mapping if mapping is not None else list(range(len(columns)))
    select = ", ".join(
        (
            f"CAST(src.{aliases[source]} AS {duckdb_type_of_spark(kind, for_parquet=True)})"
            if source is not None
            else f"CAST(NULL AS {duckdb_type_of_spark(kind, for_parquet=True)})"
        )
        + f" AS {quote_identifier(name)}"
        for (name, kind), source in zip(columns, positions, strict=True)
    )
    sql = (
        f"COPY (SELECT {select} FROM ({query}) AS src({', '.join(aliases)})) "
        f"TO {quote_literal(str(target))} (FORMAT parquet, COMPRESSION snappy)"
    )
    row = cursor.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _check_unique(columns: list[tuple[str, SparkType]]) -> None:
    seen: set[str] = set()
    for name, _ in columns:
        if name.lower() in seen:
            raise InvalidInputError(f"[COLUMN_ALREADY_EXISTS] column {name!r} appears twice")
        seen.add(name.lower())


def _already_exists(table: TableName) -> InvalidInputError:
    return InvalidInputError(
        f"[TABLE_OR_VIEW_ALREADY_EXISTS] cannot create table {table}: it already exists"
    )


def _not_found(table: TableName) -> InvalidInputError:
    return InvalidInputError(f"[TABLE_OR_VIEW_NOT_FOUND] the table {table} cannot be found")
