"""Column types as the lakehouse stores them: Spark's DataType JSON, and its DuckDB, Arrow and
Statement Execution API spellings.

The lakehouse's ``_brickyard_table.json`` holds a table's schema as Spark's ``StructType.json()``
(so ``LakehouseCatalog`` hands it to Spark unchanged); the warehouse writes that JSON for the
tables it creates and reads it to type the DuckDB view of every table. A Spark type in that JSON
is a string (``"long"``, ``"decimal(10,2)"``) or an object (array, struct, map).

DuckDB has types Spark has not (unsigned integers, HUGEINT, TIME, UUID, INTERVAL, ENUM): each
maps to the Spark type that holds every value (a wider integer or decimal, or a string), and the
warehouse casts the column to that type before it writes the Parquet files, so what Spark reads
is exactly what the schema says.
"""

from __future__ import annotations

import re
from typing import Any, Final

import pyarrow as pa
from duckdb.sqltypes import DuckDBPyType

from brickyard.errors import InvalidInputError

SparkType = str | dict[str, Any]
"""One Spark type as its JSON: ``"long"``, ``"decimal(10,2)"``, ``{"type": "array", ...}``."""

_DUCKDB_SCALARS: Final[dict[str, str]] = {
    "boolean": "boolean",
    "tinyint": "byte",
    "smallint": "short",
    "integer": "integer",
    "bigint": "long",
    "hugeint": "decimal(38,0)",
    "utinyint": "short",
    "usmallint": "integer",
    "uinteger": "long",
    "ubigint": "decimal(20,0)",
    "uhugeint": "decimal(38,0)",
    "float": "float",
    "double": "double",
    "varchar": "string",
    "blob": "binary",
    "date": "date",
    "timestamp": "timestamp",
    "timestamp_s": "timestamp",
    "timestamp_ms": "timestamp",
    "timestamp_ns": "timestamp",
    "timestamp with time zone": "timestamp",
    # Types Spark has no column type for: their text is what Spark gets.
    "time": "string",
    "time with time zone": "string",
    "uuid": "string",
    "interval": "string",
    "enum": "string",
    "bit": "string",
    "varint": "string",
    "bignum": "string",
    # ``SELECT NULL``: Spark cannot store a void column, so it is a string column of nulls.
    "null": "string",
    '"null"': "string",
}

_SPARK_TO_DUCKDB: Final[dict[str, str]] = {
    "boolean": "BOOLEAN",
    "byte": "TINYINT",
    "short": "SMALLINT",
    "integer": "INTEGER",
    "long": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "string": "VARCHAR",
    "binary": "BLOB",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamp_ntz": "TIMESTAMP",
    "void": "VARCHAR",
    "null": "VARCHAR",
}

_TYPE_TEXT: Final[dict[str, tuple[str, str]]] = {
    # Spark type → (type_text, type_name) as the Statement Execution API's manifest spells them
    "boolean": ("BOOLEAN", "BOOLEAN"),
    "byte": ("TINYINT", "BYTE"),
    "short": ("SMALLINT", "SHORT"),
    "integer": ("INT", "INT"),
    "long": ("BIGINT", "LONG"),
    "float": ("FLOAT", "FLOAT"),
    "double": ("DOUBLE", "DOUBLE"),
    "string": ("STRING", "STRING"),
    "binary": ("BINARY", "BINARY"),
    "date": ("DATE", "DATE"),
    "timestamp": ("TIMESTAMP", "TIMESTAMP"),
    "timestamp_ntz": ("TIMESTAMP_NTZ", "TIMESTAMP_NTZ"),
    "void": ("VOID", "NULL"),
    "null": ("VOID", "NULL"),
}

_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")
_CHAR = re.compile(r"(?:var)?char\(\d+\)")


def _decimal(spark: SparkType) -> tuple[int, int] | None:
    if spark == "decimal":
        return (10, 0)
    match = _DECIMAL.fullmatch(spark) if isinstance(spark, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def spark_type_of_duckdb(duckdb_type: DuckDBPyType, *, column: str = "") -> SparkType:
    """The Spark type that holds every value of ``duckdb_type``."""
    kind = duckdb_type.id
    if kind == "decimal":
        parameters = dict(duckdb_type.children)
        return f"decimal({parameters['precision']},{parameters['scale']})"
    if kind in ("list", "array"):
        element = _child(dict(duckdb_type.children)["child"])
        return {
            "type": "array",
            "elementType": spark_type_of_duckdb(element, column=column),
            "containsNull": True,
        }
    if kind == "struct":
        return struct_type(
            [
                (name, spark_type_of_duckdb(_child(child), column=column))
                for name, child in duckdb_type.children
            ]
        )
    if kind == "map":
        parts = dict(duckdb_type.children)
        return {
            "type": "map",
            "keyType": spark_type_of_duckdb(_child(parts["key"]), column=column),
            "valueType": spark_type_of_duckdb(_child(parts["value"]), column=column),
            "valueContainsNull": True,
        }
    spark = _DUCKDB_SCALARS.get(kind)
    if spark is None:
        where = f"column {column!r}: " if column else ""
        raise InvalidInputError(
            f"{where}DuckDB type {duckdb_type} has no lakehouse (Spark) column type"
        )
    return spark


def _child(value: object) -> DuckDBPyType:
    if not isinstance(value, DuckDBPyType):
        raise TypeError(f"not a DuckDB type: {value!r}")
    return value


def duckdb_type_of_spark(spark: SparkType, *, for_parquet: bool = False) -> str:
    """The DuckDB type that reads (or, ``for_parquet``, writes) a column of Spark type ``spark``.

    A Spark ``timestamp`` is an instant; DuckDB's connection runs in UTC and shows it as a plain
    TIMESTAMP, but writes it as TIMESTAMPTZ so the Parquet column is marked adjusted to UTC, the
    way Spark reads a ``timestamp`` (a plain one would be read as ``timestamp_ntz``).
    """
    if isinstance(spark, dict):
        kind = spark.get("type")
        if kind == "array":
            return duckdb_type_of_spark(spark["elementType"], for_parquet=for_parquet) + "[]"
        if kind == "struct":
            fields = ", ".join(
                f"{quote_identifier(field['name'])} "
                f"{duckdb_type_of_spark(field['type'], for_parquet=for_parquet)}"
                for field in spark["fields"]
            )
            return f"STRUCT({fields})"
        if kind == "map":
            key = duckdb_type_of_spark(spark["keyType"], for_parquet=for_parquet)
            value = duckdb_type_of_spark(spark["valueType"], for_parquet=for_parquet)
            return f"MAP({key}, {value})"
        raise InvalidInputError(f"lakehouse column type {spark!r} is not supported")
    decimal = _decimal(spark)
    if decimal is not None:
        return f"DECIMAL({decimal[0]},{decimal[1]})"
    if _CHAR.fullmatch(spark) or spark.startswith("interval"):
        return "VARCHAR"
    if for_parquet and spark == "timestamp":
        return "TIMESTAMPTZ"
    duckdb_type = _SPARK_TO_DUCKDB.get(spark)
    if duckdb_type is None:
        raise InvalidInputError(f"lakehouse column type {spark!r} is not supported")
    return duckdb_type


def spark_type_of_arrow(arrow: pa.DataType) -> SparkType:
    """The Spark type of an Arrow column (results of warehouses other than DuckDB)."""
    if pa.types.is_dictionary(arrow):
        return spark_type_of_arrow(arrow.value_type)
    if pa.types.is_boolean(arrow):
        return "boolean"
    integers = {8: "byte", 16: "short", 32: "integer", 64: "long"}
    if pa.types.is_signed_integer(arrow):
        return integers[arrow.bit_width]
    if pa.types.is_unsigned_integer(arrow):
        return {8: "short", 16: "integer", 32: "long", 64: "decimal(20,0)"}[arrow.bit_width]
    if pa.types.is_floating(arrow):
        return "double" if arrow.bit_width == 64 else "float"
    if pa.types.is_decimal(arrow):
        return f"decimal({min(arrow.precision, 38)},{arrow.scale})"
    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow):
        return "string"
    if pa.types.is_binary(arrow) or pa.types.is_large_binary(arrow):
        return "binary"
    if pa.types.is_date(arrow):
        return "date"
    if pa.types.is_timestamp(arrow):
        return "timestamp"
    if pa.types.is_null(arrow):
        return "void"
    if (
        pa.types.is_list(arrow)
        or pa.types.is_large_list(arrow)
        or pa.types.is_fixed_size_list(arrow)
    ):
        return {
            "type": "array",
            "elementType": spark_type_of_arrow(arrow.value_type),
            "containsNull": True,
        }
    if pa.types.is_struct(arrow):
        return struct_type([(field.name, spark_type_of_arrow(field.type)) for field in arrow])
    if pa.types.is_map(arrow):
        return {
            "type": "map",
            "keyType": spark_type_of_arrow(arrow.key_type),
            "valueType": spark_type_of_arrow(arrow.item_type),
            "valueContainsNull": True,
        }
    return "string"  # time, duration, interval: shown as their text


def struct_type(fields: list[tuple[str, SparkType]]) -> dict[str, Any]:
    """Spark's ``StructType`` JSON of nullable ``fields``."""
    return {
        "type": "struct",
        "fields": [
            {"name": name, "type": spark, "nullable": True, "metadata": {}}
            for name, spark in fields
        ],
    }


def type_text(spark: SparkType) -> str:
    """The type as SQL shows it (the manifest's ``type_text``): ``BIGINT``, ``ARRAY<INT>``."""
    if isinstance(spark, dict):
        kind = spark.get("type")
        if kind == "array":
            return f"ARRAY<{type_text(spark['elementType'])}>"
        if kind == "struct":
            fields = ", ".join(f"{f['name']}: {type_text(f['type'])}" for f in spark["fields"])
            return f"STRUCT<{fields}>"
        if kind == "map":
            return f"MAP<{type_text(spark['keyType'])}, {type_text(spark['valueType'])}>"
        return str(kind).upper()
    decimal = _decimal(spark)
    if decimal is not None:
        return f"DECIMAL({decimal[0]},{decimal[1]})"
    known = _TYPE_TEXT.get(spark)
    return known[0] if known else spark.upper()


def type_name(spark: SparkType) -> str:
    """The manifest's ``type_name``: ``LONG``, ``DECIMAL``, ``ARRAY``, ``STRUCT``..."""
    if isinstance(spark, dict):
        return str(spark.get("type", "")).upper()
    if _decimal(spark) is not None:
        return "DECIMAL"
    if _CHAR.fullmatch(spark):
        return "STRING"
    if spark.startswith("interval"):
        return "INTERVAL"
    known = _TYPE_TEXT.get(spark)
    return known[1] if known else spark.upper()


def decimal_precision_scale(spark: SparkType) -> tuple[int, int] | None:
    """(precision, scale) of a decimal type; None for others."""
    return _decimal(spark)


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier (DuckDB and PostgreSQL quote alike)."""
    return '"' + name.replace('"', '""') + '"'
