"""SHOW and DESCRIBE on the lakehouse: catalogs, schemas and tables listed from its folders,
a table's columns from its metadata, as Spark's commands show them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from brickyard.compute.spark.lakehouse import catalog_names
from brickyard.errors import InvalidInputError
from brickyard.warehouse.lakehouse_files import (
    TableMetadata,
    catalog_exists,
    schema_exists,
    schema_names,
    table_names,
)
from brickyard.warehouse.results import ResultColumn
from brickyard.warehouse.spark_types import type_text

ListingResult = tuple[tuple[ResultColumn, ...], pa.Table, bool, str]


def show_result(show: re.Match[str], root: Path, *, catalog: str, schema: str) -> ListingResult:
    """The result of a SHOW CATALOGS / SCHEMAS / TABLES (``show`` matched the statement), the
    current catalog and schema from ``catalog`` and ``schema``."""
    what = show.group("what").upper()
    where = (show.group("where") or "").replace("`", "").lower()
    pattern = show.group("like")
    if what == "CATALOGS":
        names = like(list(catalog_names(root)), pattern)
        return string_table({"catalog": names})
    if what in ("SCHEMAS", "DATABASES"):
        catalog = where or catalog
        if not catalog_exists(root, catalog):
            raise InvalidInputError(f"[NO_SUCH_CATALOG_EXCEPTION] catalog `{catalog}` not found")
        return string_table({"databaseName": like(schema_names(root, catalog), pattern)})
    parts = where.split(".") if where else []
    catalog, schema = (
        (parts[0], parts[1]) if len(parts) == 2 else (catalog, parts[0] if parts else schema)
    )
    if not schema_exists(root, catalog, schema):
        raise InvalidInputError(f"[SCHEMA_NOT_FOUND] schema `{catalog}`.`{schema}` not found")
    tables = like(table_names(root, catalog, schema), pattern)
    columns = (
        ResultColumn.of("database", 0, "string"),
        ResultColumn.of("tableName", 1, "string"),
        ResultColumn.of("isTemporary", 2, "boolean"),
    )
    rows = pa.table(
        {
            "database": pa.array([schema] * len(tables), pa.string()),
            "tableName": pa.array(tables, pa.string()),
            "isTemporary": pa.array([False] * len(tables), pa.bool_()),
        }
    )
    return columns, rows, False, ""


def describe_result(metadata: TableMetadata) -> ListingResult:
    """DESCRIBE's rows for a table: its columns and their Spark types."""
    names = [name for name, _ in metadata.columns]
    types = [type_text(kind).lower() for _, kind in metadata.columns]
    return string_table({"col_name": names, "data_type": types, "comment": [None] * len(names)})


def string_table(data: Mapping[str, Sequence[str | None]]) -> ListingResult:
    """A result of string columns."""
    columns = tuple(ResultColumn.of(name, i, "string") for i, name in enumerate(data))
    rows = pa.table({name: pa.array(values, pa.string()) for name, values in data.items()})
    return columns, rows, False, ""


def like(names: list[str], pattern: str | None) -> list[str]:
    """SHOW's LIKE pattern: ``*`` any characters, ``|`` alternatives (Spark's)."""
    if not pattern:
        return names
    choices = [re.escape(p.strip()).replace(r"\*", ".*") for p in pattern.split("|")]
    matcher = re.compile("|".join(choices), re.IGNORECASE)
    return [name for name in names if matcher.fullmatch(name)]
