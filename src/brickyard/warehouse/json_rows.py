"""Rows as the Statement Execution API's JSON_ARRAY format carries them: every value a string
(or null), as Databricks prints it: ``"true"``, ``"2.0"``, ``"2024-01-31"``,
``"2024-01-31T12:30:00.000Z"``, arrays, structs and maps as JSON text, binary as base64.

Scalar columns are converted by Arrow compute kernels, a column at a time (a 1,000,000-row
chunk costs no Python loop per value); only nested columns go through Python's json.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


def json_array_rows(table: pa.Table) -> list[list[str | None]]:
    """``table``'s rows, each a list of strings (or None) in column order."""
    columns = [_strings(table.column(i)) for i in range(table.num_columns)]
    return (
        [list(row) for row in zip(*columns, strict=True)]
        if columns
        else [[] for _ in range(table.num_rows)]
    )


def _strings(column: pa.ChunkedArray) -> list[str | None]:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind):
        in_ms = pc.cast(column, pa.timestamp("ms", tz=kind.tz))
        text = pc.strftime(in_ms, format="%Y-%m-%dT%H:%M:%S")
        return [None if v is None else v + "Z" for v in text.to_pylist()]
    if pa.types.is_floating(kind):
        text = pc.cast(column, pa.string())
        whole = pc.match_substring_regex(text, r"^-?\d+$")
        text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
        return list(text.to_pylist())
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return [None if v is None else base64.b64encode(v).decode() for v in column.to_pylist()]
    if pa.types.is_nested(kind):
        return [
            None if v is None else json.dumps(_plain(v), separators=(",", ":"))
            for v in column.to_pylist()
        ]
    if pa.types.is_null(kind):
        return [None] * len(column)
    return list(pc.cast(column, pa.string()).to_pylist())


def _plain(value: Any) -> Any:
    """A nested value as JSON-ready data (maps arrive from Arrow as lists of pairs)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(item, tuple) and len(item) == 2 for item in value):
            return {str(k): _plain(v) for k, v in value}
        return [_plain(item) for item in value]
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
