"""Named parameters bound as the Statement Execution API types them."""

from __future__ import annotations

import duckdb
import pytest

from brickyard.errors import InvalidInputError, SqlError
from brickyard.warehouse.dialect import SourceStatement, generate, parse_statement
from brickyard.warehouse.parameters import (
    Parameter,
    bind_parameters,
    parameter_names,
    parameters_from_json,
)


def bound(sql: str, *parameters: Parameter) -> str:
    source = SourceStatement(sql)
    expression = bind_parameters(parse_statement(source), {p.name: p for p in parameters}, source)
    return generate(expression, "duckdb", source)


def test_each_type_binds_as_a_typed_literal() -> None:
    sql = bound(
        "SELECT :s AS s, :i AS i, :b AS b, :d AS d, :dec AS dec, :day AS day, :at AS at, :f AS f",
        Parameter("s", "it's"),
        Parameter("i", "42", "INT"),
        Parameter("b", "true", "BOOLEAN"),
        Parameter("d", "2.5", "DOUBLE"),
        Parameter("dec", "12.345", "DECIMAL(10,3)"),
        Parameter("day", "2024-02-29", "DATE"),
        Parameter("at", "2024-02-29T10:11:12", "TIMESTAMP"),
        Parameter("f", None, "BIGINT"),
    )
    relation = duckdb.sql(sql)
    assert [str(t) for t in relation.types] == [
        "VARCHAR",
        "INTEGER",
        "BOOLEAN",
        "DOUBLE",
        "DECIMAL(10,3)",
        "DATE",
        "TIMESTAMP WITH TIME ZONE",  # Databricks' TIMESTAMP is an instant (sqlglot knows)
        "BIGINT",
    ]
    [row] = relation.fetchall()
    assert row[0] == "it's"
    assert row[1] == 42
    assert row[2] is True
    assert str(row[5]) == "2024-02-29"
    assert row[7] is None


def test_a_parameter_the_sql_names_but_is_not_given_is_an_error_naming_it() -> None:
    with pytest.raises(SqlError, match=r":region but no parameter of that name"):
        bound("SELECT * FROM t WHERE region = :region AND y = :y", Parameter("y", "1", "INT"))


def test_a_value_that_is_not_of_its_type_is_an_error_naming_the_parameter() -> None:
    with pytest.raises(InvalidInputError, match=r"parameters\.n\.value: 'ten' is not a valid INT"):
        bound("SELECT :n", Parameter("n", "ten", "INT"))
    with pytest.raises(InvalidInputError, match=r"parameters\.n\.type"):
        bound("SELECT :n", Parameter("n", "1", "WHATEVER"))


def test_names_are_listed_and_parameters_read_from_api_json() -> None:
    source = SourceStatement("SELECT :a, :b, :a")
    assert parameter_names(parse_statement(source)) == ["a", "b"]
    assert Parameter.from_json({"name": "a", "value": "1", "type": "INT"}) == Parameter(
        "a", "1", "INT"
    )
    assert Parameter.from_json({"name": "a", "value": "x"}).type == "STRING"
    assert parameters_from_json([{"name": "a", "value": "1", "type": "INT"}]) == {
        "a": Parameter("a", "1", "INT")
    }
    with pytest.raises(InvalidInputError, match=r"parameters\[1\]\.name: 'A' is given twice"):
        parameters_from_json([{"name": "a", "value": "1"}, {"name": "A", "value": "2"}])
