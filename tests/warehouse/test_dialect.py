"""Databricks SQL split, read and written for DuckDB and PostgreSQL: what sqlglot leaves
different is fixed, and what it cannot read fails with the statement, line and column."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from brickyard.errors import SqlError
from brickyard.warehouse.dialect import (
    SourceStatement,
    duckdb_database,
    generate,
    lakehouse_catalog,
    map_catalog_names_in_text,
    name_projections_as_spark,
    parse_statement,
    qualify_for_duckdb,
    rewrite_range,
    split_statements,
)


def to_duckdb(sql: str, catalog: str = "main") -> str:
    source = SourceStatement(sql)
    expression = name_projections_as_spark(rewrite_range(parse_statement(source), "duckdb"))
    return generate(qualify_for_duckdb(expression, catalog=catalog), "duckdb", source)


def test_a_script_splits_at_semicolons_outside_strings_and_comments_keeping_lines() -> None:
    script = "SELECT 'a;b' AS x;\n-- a comment; still a comment\n\n  SELECT 2;\n;\nSELECT 3"
    statements = split_statements(script)
    assert [(s.text, s.line, s.column) for s in statements] == [
        ("SELECT 'a;b' AS x", 1, 1),
        ("SELECT 2", 4, 3),
        ("SELECT 3", 6, 1),
    ]


def test_spark_range_keeps_its_id_column_on_duckdb() -> None:
    sql = to_duckdb("SELECT id * 2 AS twice FROM range(2, 8, 2) AS r WHERE r.id > 2")
    assert duckdb.sql(sql).fetchall() == [(8,), (12,)]
    assert duckdb.sql(to_duckdb("SELECT sum(id) FROM range(5)")).fetchall() == [(10,)]


def test_spark_range_becomes_generate_series_on_postgres() -> None:
    source = SourceStatement("SELECT id FROM range(3)")
    sql = generate(rewrite_range(parse_statement(source), "postgres"), "postgres", source)
    assert "GENERATE_SERIES(0, 3 - 1, 1)" in sql.upper()


def test_the_main_catalog_maps_to_a_duckdb_database_name_and_back() -> None:
    assert duckdb_database("main") == "_main"
    assert duckdb_database("Sales") == "sales"
    assert lakehouse_catalog("_main") == "main"
    assert lakehouse_catalog("sales") == "sales"
    assert to_duckdb("SELECT * FROM main.default.t") == 'SELECT * FROM _main."default".t'
    # a two-level name is a schema of the current catalog
    assert to_duckdb("SELECT * FROM sales.t", catalog="hive_metastore") == (
        "SELECT * FROM hive_metastore.sales.t"
    )
    # one-level names (and CTEs) are left to the connection's USE
    assert to_duckdb("WITH t AS (SELECT 1 AS a) SELECT a FROM t") == (
        "WITH t AS (SELECT 1 AS a) SELECT a FROM t"
    )
    message = 'Table with name x does not exist! Did you mean "_main.default.y"?'
    assert map_catalog_names_in_text(message) == (
        'Table with name x does not exist! Did you mean "main.default.y"?'
    )


@pytest.mark.parametrize(
    ("databricks", "expected"),
    [
        ("SELECT date_format(DATE'2024-03-05', 'yyyy/MM/dd')", [("2024/03/05",)]),
        ("SELECT current_date() = current_date()", [(True,)]),
        ("SELECT explode(array(1, 2, 3)) AS x", [(1,), (2,), (3,)]),
        ("SELECT nvl(NULL, 'fallback')", [("fallback",)]),
        ("SELECT date_add(DATE'2024-02-28', 2)", [(sqlglot.exp.Date,)]),
        ("SELECT size(array(1, 2))", [(2,)]),
        ("SELECT concat_ws('-', 'a', 'b')", [("a-b",)]),
    ],
)
def test_databricks_functions_run_on_duckdb(databricks: str, expected: list[tuple[object]]) -> None:
    rows = duckdb.sql(to_duckdb(databricks)).fetchall()
    if expected[0][0] is sqlglot.exp.Date:
        assert str(rows[0][0]).startswith("2024-03-01")
    else:
        assert rows == expected


def test_a_syntax_error_names_the_statement_line_and_column() -> None:
    script = "SELECT 1;\n\nSELECT a,\n  b FROM WHERE x = 1;"
    statements = split_statements(script)
    with pytest.raises(SqlError) as caught:
        parse_statement(statements[1])
    error = caught.value
    assert (error.line, error.column) == (4, 10)
    assert "SELECT a," in str(error)
    assert "line 4, column 10" in str(error)
    assert "WHERE" in error.reason


def test_an_unterminated_string_is_an_error_with_its_line() -> None:
    with pytest.raises(SqlError) as caught:
        split_statements("SELECT 1;\nSELECT 'open")
    assert caught.value.line == 2


def test_unaliased_expressions_get_spark_names() -> None:
    sql = to_duckdb("SELECT count(*), sum(id), id + 1, 'x', id FROM range(3) GROUP BY id")
    relation = duckdb.sql(sql)
    assert relation.columns == ["count(1)", "sum(id)", "(id + 1)", "x", "id"]
