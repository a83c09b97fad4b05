"""Named parameters (``:name``) bound as the Statement Execution API types them.

A parameter is ``{"name", "value", "type"}``; the value is a string (or null) and the type one
of STRING (the default), INT, BIGINT, SMALLINT, TINYINT, DOUBLE, FLOAT, DECIMAL[(p,s)], DATE,
TIMESTAMP, BOOLEAN. Each ``:name`` in the statement becomes a typed literal in its syntax tree
(``CAST('2024-01-31' AS DATE)``), so binding is the same for every target dialect and quoting is
sqlglot's, never string pasting. The value is checked against its type here, so a bad value is
an error naming the parameter rather than the engine's cast error.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlglot import exp

from brickyard.errors import InvalidInputError
from brickyard.warehouse.dialect import SourceStatement

_INTEGER_TYPES = frozenset(
    {"INT", "INTEGER", "BIGINT", "LONG", "SMALLINT", "SHORT", "TINYINT", "BYTE"}
)
_FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT", "REAL"})
_DECIMAL = re.compile(r"(?:DECIMAL|DEC|NUMERIC)(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?")
_CAST_TYPES = {
    "INT": "INT",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "LONG": "BIGINT",
    "SMALLINT": "SMALLINT",
    "SHORT": "SMALLINT",
    "TINYINT": "TINYINT",
    "BYTE": "TINYINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "REAL": "FLOAT",
    "STRING": "STRING",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "TIMESTAMP_NTZ": "TIMESTAMP_NTZ",
    "BOOLEAN": "BOOLEAN",
}


@dataclass(frozen=True)
class Parameter:
    """One named parameter as the Statement Execution API sends it."""

    name: str
    value: str | None
    type: str = "STRING"

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> Parameter:
        """From ``{"name", "value", "type"}`` (an API request's ``parameters`` item)."""
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise InvalidInputError("parameters: each parameter needs a name")
        value = raw.get("value")
        kind = raw.get("type") or "STRING"
        if not isinstance(kind, str):
            raise InvalidInputError(f"parameters.{name}.type: must be a type name")
        return cls(name=name, value=None if value is None else str(value), type=kind)


def parameters_from_json(items: Sequence[Mapping[str, object]] | None) -> dict[str, Parameter]:
    """A request's ``parameters`` list as the mapping ``execute`` takes (a name given twice is
    an error naming it)."""
    out: dict[str, Parameter] = {}
    for index, raw in enumerate(items or []):
        if not isinstance(raw, Mapping):
            raise InvalidInputError(f"parameters[{index}]: must be an object with name and value")
        parameter = Parameter.from_json(raw)
        if parameter.name.lower() in (name.lower() for name in out):
            raise InvalidInputError(f"parameters[{index}].name: {parameter.name!r} is given twice")
        out[parameter.name] = parameter
    return out


def parameter_names(expression: exp.Expr) -> list[str]:
    """The ``:name`` parameters the statement uses, in order of first use."""
    names = [p.name for p in expression.find_all(exp.Placeholder) if p.name]
    return list(dict.fromkeys(names))


def bind_parameters(
    expression: exp.Expr,
    parameters: Mapping[str, Parameter],
    statement: SourceStatement,
) -> exp.Expr:
    """``expression`` with each ``:name`` replaced by its parameter's typed literal."""
    by_name = {name.lower(): parameter for name, parameter in parameters.items()}
    for placeholder in list(expression.find_all(exp.Placeholder)):
        if not placeholder.name:
            raise statement.error(
                "uses a positional parameter (?); the warehouse binds named ones (:name)"
            )
        parameter = by_name.get(placeholder.name.lower())
        if parameter is None:
            raise statement.error(
                f"uses the parameter :{placeholder.name} but no parameter of that name was given"
            )
        placeholder.replace(typed_literal(parameter))
    return expression


def typed_literal(parameter: Parameter) -> exp.Expr:
    """The parameter's value as a literal of its type (checked here)."""
    kind = parameter.type.strip().upper()
    where = f"parameters.{parameter.name}"
    decimal_match = _DECIMAL.fullmatch(kind)
    if kind not in _CAST_TYPES and decimal_match is None:
        raise InvalidInputError(f"{where}.type: {parameter.type!r} is not a parameter type")
    cast_type = _decimal_type(decimal_match) if decimal_match is not None else _CAST_TYPES[kind]
    if parameter.value is None:
        return exp.cast(exp.null(), exp.DataType.build(cast_type, dialect="databricks"))
    value = parameter.value
    _check(value, kind, decimal_match is not None, where)
    literal: exp.Expr
    if kind in _INTEGER_TYPES or kind in _FLOAT_TYPES or decimal_match is not None:
        literal = exp.Literal.number(value.strip())
    elif kind == "BOOLEAN":
        literal = exp.Boolean(this=value.strip().lower() == "true")
    else:
        literal = exp.Literal.string(value)
    if kind == "STRING":
        return literal
    return exp.cast(literal, exp.DataType.build(cast_type, dialect="databricks"))


def _decimal_type(match: re.Match[str]) -> str:
    precision, scale = match.group(1), match.group(2)
    if precision is None:
        return "DECIMAL(38,18)"
    return f"DECIMAL({precision},{scale or 0})"


def _check(value: str, kind: str, is_decimal: bool, where: str) -> None:
    text = value.strip()
    try:
        if kind in _INTEGER_TYPES:
            int(text)
        elif kind in _FLOAT_TYPES:
            float(text)
        elif is_decimal:
            decimal.Decimal(text)
            if not decimal.Decimal(text).is_finite():
                raise ValueError(text)
        elif kind == "BOOLEAN":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
        elif kind == "DATE":
            dt.date.fromisoformat(text)
        elif kind in ("TIMESTAMP", "TIMESTAMP_NTZ"):
            dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, decimal.InvalidOperation):
        raise InvalidInputError(f"{where}.value: {value!r} is not a valid {kind}") from None
