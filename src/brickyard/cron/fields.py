"""The vocabulary of a Quartz cron expression: its seven fields, their value ranges and names,
and the parsed form every other module reads (:class:`CronFields`).

Quartz numbers days of the week 1-7 = SUN-SAT and months 1-12 = JAN-DEC; both accept their
three-letter English names, case-insensitively.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Final


class Field(enum.Enum):
    """The fields of an expression, in order; the value is the name used in error messages."""

    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAY_OF_MONTH = "day-of-month"
    MONTH = "month"
    DAY_OF_WEEK = "day-of-week"
    YEAR = "year"


FIELD_ORDER: Final = tuple(Field)

MONTH_NAMES: Final = (
    *("JAN", "FEB", "MAR", "APR", "MAY", "JUN"),
    *("JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
)
DAY_NAMES: Final = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

MAX_YEAR: Final = dt.date.today().year + 100
"""The last year Quartz ever fires in. Quartz 2.3.2 fixes it when the class loads
(``Calendar.getInstance().get(YEAR) + 100``): ``*`` in the year field means 1970 up to it, and the
search for a fire time gives up beyond it. It bounds a search, never a schedule anyone means,
so reading the date once at import (as the JVM does) is harmless."""

SEARCH_END_YEAR: Final = 2999
"""Quartz's other loop guard: no fire time is looked for past this year."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What one field accepts."""

    field: Field
    low: int
    high: int
    names: tuple[str, ...] = ()
    """Names for ``low``, ``low + 1``, ... (months and days of the week)."""
    max_step: int | None = None
    """The largest step Quartz accepts after ``*`` or a single value (None: no limit)."""
    wrap: int | None = None
    """The period a backwards range (``22-2``) wraps around; None when it may not wrap."""

    def describe_range(self) -> str:
        """``0-59``, or ``1-7 or SUN-SAT`` for fields with names."""
        text = f"{self.low}-{self.high}"
        if self.names:
            text += f" or {self.names[0]}-{self.names[-1]}"
        return text


SPECS: Final = {
    Field.SECONDS: FieldSpec(Field.SECONDS, 0, 59, max_step=59, wrap=60),
    Field.MINUTES: FieldSpec(Field.MINUTES, 0, 59, max_step=59, wrap=60),
    Field.HOURS: FieldSpec(Field.HOURS, 0, 23, max_step=23, wrap=24),
    Field.DAY_OF_MONTH: FieldSpec(Field.DAY_OF_MONTH, 1, 31, max_step=31, wrap=31),
    Field.MONTH: FieldSpec(Field.MONTH, 1, 12, MONTH_NAMES, max_step=12, wrap=12),
    Field.DAY_OF_WEEK: FieldSpec(Field.DAY_OF_WEEK, 1, 7, DAY_NAMES, max_step=7, wrap=7),
    # Quartz checks no year at all; years before 1970 or after 2999 can never fire.
    Field.YEAR: FieldSpec(Field.YEAR, 1970, SEARCH_END_YEAR),
}


@dataclass(frozen=True, slots=True)
class Term:
    """One comma-separated item of a field as written: ``*`` (start None), a value, a range
    (``end`` below ``start`` wraps around) or any of them with a ``/step``."""

    start: int | None = None
    end: int | None = None
    step: int | None = None


STAR: Final = Term()


@dataclass(frozen=True, slots=True)
class Values:
    """A field's terms as written and the sorted set of values they select."""

    terms: tuple[Term, ...]
    values: tuple[int, ...]

    @property
    def is_all(self) -> bool:
        """Written as a plain ``*``."""
        return self.terms == (STAR,)


@dataclass(frozen=True, slots=True)
class CronFields:
    """A parsed expression: what Quartz keeps after parsing, in the same shape.

    ``day_of_month`` or ``day_of_week`` is None for ``?`` (exactly one of them is). The flags
    are Quartz's: ``L`` / ``L-n`` / ``LW`` in day-of-month set ``last_day_of_month`` (with
    ``last_day_offset``; the day-of-month values are then empty), ``W`` sets
    ``nearest_weekday``; ``nL`` in day-of-week sets ``last_day_of_week`` and ``d#n`` sets
    ``nth_day_of_week``, the day being the only day-of-week value.
    """

    seconds: Values
    minutes: Values
    hours: Values
    day_of_month: Values | None
    month: Values
    day_of_week: Values | None
    year: Values
    year_given: bool = False
    last_day_of_month: bool = False
    last_day_offset: int = 0
    nearest_weekday: bool = False
    last_day_of_week: bool = False
    nth_day_of_week: int = 0
