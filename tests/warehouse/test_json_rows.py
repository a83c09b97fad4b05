"""Result rows in the JSON_ARRAY format: every value a string as Databricks prints it."""

from __future__ import annotations

from pathlib import Path

from brickyard.warehouse.duckdb_warehouse import DuckDBWarehouse
from brickyard.warehouse.json_rows import json_array_rows


def test_values_of_every_type_print_as_databricks_prints_them(tmp_path: Path) -> None:
    warehouse = DuckDBWarehouse(tmp_path / "lakehouse", threads=1)
    try:
        result = warehouse.execute(
            "SELECT 1 AS i, CAST(2 AS BIGINT) AS l, 2.0D AS d, 1.5D AS f, true AS b, 'x' AS s,"
            " DATE'2024-01-31' AS day, TIMESTAMP'2024-01-31 12:30:00.25' AS at,"
            " CAST(1.5 AS DECIMAL(10,2)) AS dec, array(1, 2) AS arr,"
            " named_struct('k', 'v', 'n', 1) AS st, map('a', 1) AS m, X'0102' AS bin,"
            " CAST(NULL AS INT) AS nothing"
        )
    finally:
        warehouse.close()
    assert json_array_rows(result.rows) == [
        [
            "1",
            "2",
            "2.0",
            "1.5",
            "true",
            "x",
            "2024-01-31",
            "2024-01-31T12:30:00.250Z",
            "1.50",
            "[1,2]",
            '{"k":"v","n":1}',
            '{"a":1}',
            "AQI=",
            None,
        ]
    ]
