"""How a %sql cell is split into statements and where its parameters are (no Spark needed),
and the cell errors a task shows before any Spark is started."""

from __future__ import annotations

from typing import Any

import pytest

from brickyard.runtime.exceptions import CellError
from brickyard.runtime.spark.sql_cells import (
    Statement,
    split_statements,
    substitute_legacy_parameters,
)
from brickyard.runtime.spark.sql_widgets import WidgetStatement, parse_widget_statement
from support.spark_tasks import magic, nb


def test_statements_split_on_semicolons_outside_quotes_and_comments() -> None:
    text = (
        "-- a; comment\n"
        "CREATE TABLE t AS SELECT 'a;b' AS s, \"c;d\" AS `e;f`;\n"
        "/* block; */ SELECT 1 ;\n"
        "-- trailing comment only\n"
    )
    assert split_statements(text) == [
        Statement("-- a; comment\nCREATE TABLE t AS SELECT 'a;b' AS s, \"c;d\" AS `e;f`"),
        Statement("/* block; */ SELECT 1"),
    ]


def test_only_comments_and_separators_are_no_statements() -> None:
    assert split_statements("-- nothing\n;\n/* here */ ;  ") == []


def test_named_markers_are_found_but_not_casts_struct_fields_or_strings() -> None:
    (statement,) = split_statements(
        "SELECT CAST(x AS STRUCT<a:INT>), y::int, ':quoted', -- :comment\n"
        "  z FROM t WHERE day = :day AND (n > :low OR n < :low) AND k=:k_2"
    )
    assert statement.markers == ("day", "low", "k_2")


def test_a_backslash_escapes_a_quote_inside_a_string() -> None:
    assert [s.text for s in split_statements(r"SELECT 'it\'s; fine'; SELECT 2")] == [
        r"SELECT 'it\'s; fine'",
        "SELECT 2",
    ]


def test_legacy_parameters_are_replaced_in_the_text() -> None:
    text = "SELECT * FROM ${catalog}.sales.${table} WHERE d = '${day}'"
    replaced = substitute_legacy_parameters(
        text, {"catalog": "main", "table": "orders", "day": "2026-12-04"}, 3
    )
    assert replaced == "SELECT * FROM main.sales.orders WHERE d = '2026-12-04'"


def test_an_unknown_legacy_parameter_names_the_cell() -> None:
    with pytest.raises(CellError, match=r"%sql in cell 3: \$\{nope\} names no widget"):
        substitute_legacy_parameters("SELECT ${nope}", {}, 3)


def test_a_marker_without_a_value_fails_the_cell_before_spark_starts(task_env: Any) -> None:
    # No "spark" in spec.json: reaching the session would fail with the install message.
    run = task_env.run_notebook(
        nb("x = 1", magic("%sql", "SELECT * FROM t WHERE day = :day")), widgets={"other": "1"}
    )
    assert run.result["error"] == (
        "CellError: %sql in cell 2: the parameter :day has no value; declare a widget "
        "(dbutils.widgets.text('day', ...)) or pass it as a task parameter"
    )


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "CREATE WIDGET TEXT day DEFAULT '2026-12-04'",
            WidgetStatement("day", "TEXT", "2026-12-04"),
        ),
        (
            '-- the state\ncreate widget dropdown `state` default "CA" CHOICES SELECT s FROM t',
            WidgetStatement("state", "DROPDOWN", "CA", "SELECT s FROM t"),
        ),
        (r"CREATE WIDGET TEXT q DEFAULT 'it\'s'", WidgetStatement("q", "TEXT", "it's")),
        ("REMOVE WIDGET day", WidgetStatement("day")),
        ("SELECT 'CREATE WIDGET TEXT x DEFAULT 1'", None),
        ("CREATE TABLE widget (x INT)", None),
    ],
)
def test_widget_statements_are_recognised(statement: str, expected: WidgetStatement | None) -> None:
    assert parse_widget_statement(statement) == expected


def test_a_sql_notebook_declares_widgets_without_starting_spark(task_env: Any) -> None:
    # No "spark" in spec.json: a text widget needs no session.
    run = task_env.run_notebook(
        "-- Databricks notebook source\n"
        "CREATE WIDGET TEXT day DEFAULT '2026-01-01';\nCREATE WIDGET TEXT gone DEFAULT 'x';\n"
        "REMOVE WIDGET gone\n\n"
        "-- COMMAND ----------\n\n"
        "-- MAGIC %python\n-- MAGIC print('day', dbutils.widgets.get('day'))\n",
        name="widgets.sql",
        widgets={"day": "2026-12-04"},
    )
    assert run.result["status"] == "SUCCESS", run.result
    assert "day 2026-12-04" in run.stdout
    assert run.notebook["metadata"]["brickyard"]["widgets"] == {"day": "2026-01-01"}
