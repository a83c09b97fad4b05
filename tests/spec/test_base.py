from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from brickyard.spec.base import (
    ApiModel,
    LenientBool,
    LenientInt,
    LenientStr,
    coerce_bool,
    coerce_int,
    coerce_str,
)


class Sample(ApiModel):
    count: LenientInt | None = None
    flag: LenientBool | None = None
    text: LenientStr | None = None


@given(st.integers())
def test_int_accepts_numbers_and_numeric_strings(value: int) -> None:
    assert coerce_int(value) == value
    assert coerce_int(str(value)) == value
    assert coerce_int(f" {value} ") == value
    assert Sample.model_validate({"count": str(value)}).count == value


def test_int_accepts_integral_floats_only() -> None:
    assert coerce_int(12.0) == 12
    with pytest.raises(ValueError, match="expected an integer"):
        coerce_int(12.5)


@pytest.mark.parametrize("bad", [True, False, "abc", "1.5", "", None, [1], {"a": 1}])
def test_int_rejects_non_integers(bad: Any) -> None:
    with pytest.raises(ValueError, match="expected an integer"):
        coerce_int(bad)
    if bad is not None:  # None is "not set" for an optional field
        with pytest.raises(ValidationError):
            Sample.model_validate({"count": bad})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("fAlSe", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
    ],
)
def test_bool_accepts_client_spellings(raw: Any, expected: bool) -> None:
    assert coerce_bool(raw) is expected
    assert Sample.model_validate({"flag": raw}).flag is expected


@pytest.mark.parametrize("bad", ["yes", "no", "on", 2, -1, 1.5, "", None, []])
def test_bool_rejects_other_values(bad: Any) -> None:
    with pytest.raises(ValueError, match="expected a boolean"):
        coerce_bool(bad)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("x", "x"), (5, "5"), (1.5, "1.5"), (True, "true"), (False, "false")],
)
def test_str_accepts_scalars(raw: Any, expected: str) -> None:
    assert coerce_str(raw) == expected


def test_str_accepts_yaml_dates() -> None:
    assert coerce_str(dt.date(2026, 11, 21)) == "2026-11-21"


@pytest.mark.parametrize("bad", [None, [1], {"a": 1}])
def test_str_rejects_containers(bad: Any) -> None:
    with pytest.raises(ValueError, match="expected a string"):
        coerce_str(bad)


def test_to_api_keeps_unknown_fields_and_drops_unset_and_none() -> None:
    model = Sample.model_validate({"count": "3", "flag": None, "future_field": {"a": [1]}})
    assert model.to_api() == {"count": 3, "future_field": {"a": [1]}}


def test_api_model_is_a_pydantic_model() -> None:
    assert issubclass(ApiModel, BaseModel)
