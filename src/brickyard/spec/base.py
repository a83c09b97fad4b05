"""The base model and the lenient scalar types every Jobs API model uses.

Clients send the same value in several spellings (jobs-api.md §1.2): Airflow turns every number
into a string (``"num_workers": "2"``), the legacy CLI sends ids as strings, and booleans arrive
as ``true``/``True``/``"1"``. The ``Lenient*`` types accept all of them and store the canonical
Python value, so ``to_api()`` returns proper JSON numbers and booleans.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

_TRUE_WORDS = frozenset({"true", "1"})
_FALSE_WORDS = frozenset({"false", "0"})


def coerce_int(value: Any) -> Any:
    """An int from an int, an integral float or a numeric string; anything else is an error."""
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, got {_show(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
    raise ValueError(f"expected an integer, got {_show(value)}")


def coerce_bool(value: Any) -> Any:
    """A bool from a bool, ``1``/``0``, or ``true``/``false``/``"1"``/``"0"`` in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError(f"expected a boolean (true or false), got {_show(value)}")


def coerce_str(value: Any) -> Any:
    """A string from a string, a number, a boolean (``"true"``/``"false"``) or a YAML date."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise ValueError(f"expected a string, got {_show(value)}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


LenientInt = Annotated[int, BeforeValidator(coerce_int)]
"""An integer that also accepts numeric strings (``"12"``) and integral floats."""

LenientBool = Annotated[bool, BeforeValidator(coerce_bool)]
"""A boolean that also accepts ``"true"``/``"FALSE"``/``"1"``/``"0"`` and ``1``/``0``."""

LenientStr = Annotated[str, BeforeValidator(coerce_str)]
"""A string (parameter values) that also accepts numbers and booleans, stored as their text."""

StrMap = dict[str, LenientStr]
"""A ``map<str,str>`` of parameter-like values."""

StrList = list[LenientStr]
"""A ``[]str`` of parameter-like values."""


class ApiModel(BaseModel):
    """Base of every Jobs API object: unknown fields are kept and returned unchanged."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        use_enum_values=False,
        validate_default=False,
    )

    def to_api(self) -> dict[str, Any]:
        """A JSON-able dict of what was given: unset and ``None`` fields left out, extras kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)
