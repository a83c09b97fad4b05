"""Parsing a Quartz cron expression into :class:`~brickyard.cron.fields.CronFields`.

The grammar is Quartz 2.3.2's: 6 or 7 fields separated by runs of spaces or tabs; items
separated by commas; ``*``, values, ranges (backwards ones wrap), ``*/n``, ``a/n`` and ``a-b/n``
steps; names for months and days of the week, case-insensitive; ``?``, ``L``, ``L-n``, ``LW``,
``L-nW`` and ``nW`` in day-of-month; ``?``, ``L``, ``nL`` and ``d#n`` in day-of-week; exactly one
of the two day fields ``?``.

Where Quartz silently reads something other than what is written, or accepts something that
then crashes, hangs or never fires, this parser rejects it instead, naming the field and the
token; the docstring of :mod:`brickyard.cron` lists each case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, NoReturn

from brickyard.cron.errors import CronSyntaxError
from brickyard.cron.fields import (
    DAY_NAMES,
    FIELD_ORDER,
    SPECS,
    CronFields,
    Field,
    Term,
    Values,
)
from brickyard.cron.suggest import quartz_from_unix, replace_field
from brickyard.cron.terms import (
    ParseContext,
    all_values,
    parse_value,
    parse_values,
    small_int,
)

_FIELD_LIST: Final = "seconds minutes hours day-of-month month day-of-week [year]"
_SEPARATORS: Final = re.compile(r"[ \t]+")
_ALLOWED: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*?,-/#")
_LAST_DAY: Final = re.compile(r"L(?:-([0-9]+))?(W)?")
_WEEKDAY: Final = re.compile(r"([0-9]+)W")
_NTH: Final = re.compile(r"([0-9]+|[A-Z]+)#([0-9]*)")
_LAST_WEEKDAY: Final = re.compile(r"([0-9]+|[A-Z]{3})L")
_MAX_LAST_DAY_OFFSET: Final = 30
_MAX_NTH: Final = 5
_UNIX_FIELDS: Final = 5


def parse_fields(text: str) -> CronFields:
    """Parse ``text``; raise :class:`CronSyntaxError` for anything Quartz would reject or
    misread."""
    tokens = [token for token in _SEPARATORS.split(text.strip()) if token]
    if len(tokens) not in (6, 7):
        _wrong_field_count(tokens)
    context = ParseContext(tokens, _parses)
    for field, token in zip(FIELD_ORDER, tokens, strict=False):
        _check_characters(context, field, token)
    seconds = parse_values(context, Field.SECONDS, tokens[0])
    minutes = parse_values(context, Field.MINUTES, tokens[1])
    hours = parse_values(context, Field.HOURS, tokens[2])
    dom = _day_of_month(context, tokens[3])
    month = parse_values(context, Field.MONTH, tokens[4])
    dow = _day_of_week(context, tokens[5])
    year_given = len(tokens) == 7
    year = (
        parse_values(context, Field.YEAR, tokens[6])
        if year_given
        else all_values(SPECS[Field.YEAR])
    )
    _check_day_fields(tokens, dom, dow)
    return CronFields(
        seconds=seconds,
        minutes=minutes,
        hours=hours,
        day_of_month=dom.values if dom is not None else None,
        month=month,
        day_of_week=dow.values if dow is not None else None,
        year=year,
        year_given=year_given,
        last_day_of_month=dom is not None and dom.last_day,
        last_day_offset=dom.offset if dom is not None else 0,
        nearest_weekday=dom is not None and dom.nearest_weekday,
        last_day_of_week=dow is not None and dow.last_weekday,
        nth_day_of_week=dow.nth if dow is not None else 0,
    )


def _parses(text: str) -> bool:
    try:
        parse_fields(text)
    except CronSyntaxError:
        return False
    return True


# ------------------------------------------------------------------------ whole expression


def _wrong_field_count(tokens: list[str]) -> NoReturn:
    if not tokens:
        raise CronSyntaxError(
            f"the expression is empty: Quartz needs 6 or 7 fields ({_FIELD_LIST})"
        )
    message = f"expected 6 or 7 fields ({_FIELD_LIST}), got {len(tokens)}"
    suggestion = None
    if len(tokens) == _UNIX_FIELDS:
        message += " (this looks like Unix cron; Quartz starts with a seconds field)"
        candidate = quartz_from_unix(tokens)
        suggestion = candidate if candidate is not None and _parses(candidate) else None
    raise CronSyntaxError(message, suggestion=suggestion)


def _check_characters(context: ParseContext, field: Field, token: str) -> None:
    for char in token:
        if char not in _ALLOWED:
            context.fail(field, token, f"has an unexpected character {char!r}")
    if "?" in token and field not in (Field.DAY_OF_MONTH, Field.DAY_OF_WEEK):
        context.fail(
            field, token, "is not allowed here ('?' works only in day-of-month and day-of-week)"
        )
    if "?" in token and token != "?":
        context.fail(field, token, "mixes '?' with values ('?' stands alone)")
    if "#" in token and field is not Field.DAY_OF_WEEK:
        context.fail(field, token, "is not allowed here ('#' works only in day-of-week: '6#3')")


@dataclass(frozen=True, slots=True)
class _Day:
    """A parsed day field other than ``?``."""

    values: Values
    last_day: bool = False
    offset: int = 0
    nearest_weekday: bool = False
    last_weekday: bool = False
    nth: int = 0


def _check_day_fields(tokens: list[str], dom: _Day | None, dow: _Day | None) -> None:
    """Exactly one of day-of-month and day-of-week must be ``?``."""
    if dom is None and dow is None:
        raise CronSyntaxError(
            "day-of-month and day-of-week are both '?', but Quartz needs a value in one of them",
            suggestion=replace_field(tokens, 3, "*"),
        )
    if dom is None or dow is None:
        return
    both = (
        f"day-of-month '{tokens[3]}' and day-of-week '{tokens[5]}' are both set, but Quartz "
        "needs '?' in exactly one of them"
    )
    if dow.values.is_all:
        raise CronSyntaxError(both, suggestion=replace_field(tokens, 5, "?"))
    if dom.values.is_all:
        raise CronSyntaxError(both, suggestion=replace_field(tokens, 3, "?"))
    raise CronSyntaxError(
        f"{both}; it cannot fire on 'this day of the month OR this day of the week' as Unix "
        "cron does: keep one and put '?' in the other, or use two jobs"
    )


# ------------------------------------------------------------------------------ day fields


def _day_of_month(context: ParseContext, token: str) -> _Day | None:
    field = Field.DAY_OF_MONTH
    upper = token.upper()
    if upper == "?":
        return None
    if "L" not in upper and "W" not in upper:
        return _Day(parse_values(context, field, token))
    if "," in upper:
        special = "'L'" if "L" in upper else "'W'"
        context.fail(field, token, f"combines {special} with other days, which Quartz cannot do")
    last = _LAST_DAY.fullmatch(upper)
    if last is not None:
        offset = small_int(last.group(1) or "0")
        if offset > _MAX_LAST_DAY_OFFSET:
            context.fail(field, token, "counts back more than 30 days from the last day")
        empty = Values((), ())
        return _Day(empty, last_day=True, offset=offset, nearest_weekday=bool(last.group(2)))
    weekday = _WEEKDAY.fullmatch(upper)
    if weekday is not None:
        day, _ = parse_value(context, field, token, weekday.group(1))
        return _Day(Values((Term(day),), (day,)), nearest_weekday=True)
    if upper.endswith("W"):
        context.fail(field, token, "puts 'W' after something other than one day ('15W')")
    context.fail(field, token, "uses 'L' wrongly: write 'L', 'L-3', 'LW' or 'L-3W'")


def _day_of_week(context: ParseContext, token: str) -> _Day | None:
    field = Field.DAY_OF_WEEK
    upper = token.upper()
    if upper == "?":
        return None
    if upper == "L":
        # Quartz reads 'L' alone in day-of-week as day 7, Saturday (not "the last day").
        return _Day(Values((Term(7),), (7,)))
    if "#" in upper:
        return _nth_day_of_week(context, token)
    if not _uses_last(upper):
        return _Day(parse_values(context, field, token))
    if "," in upper:
        context.fail(field, token, "combines 'L' with other days, which Quartz cannot do")
    last = _LAST_WEEKDAY.fullmatch(upper)
    if last is None:
        context.fail(
            field, token, "uses 'L' wrongly: write 'L' (Saturday) or a day then 'L' ('6L')"
        )
    day, _ = parse_value(context, field, token, last.group(1))
    return _Day(Values((Term(day),), (day,)), last_weekday=True)


def _nth_day_of_week(context: ParseContext, token: str) -> _Day:
    field = Field.DAY_OF_WEEK
    upper = token.upper()
    if upper.count("#") > 1:
        context.fail(field, token, "has more than one '#' (Quartz takes one 'nth day')")
    if "," in upper:
        context.fail(field, token, "combines 'd#n' with other days, which Quartz cannot do")
    nth = _NTH.fullmatch(upper)
    if nth is None:
        context.fail(field, token, "needs one day before '#' ('6#3' or 'FRI#3')")
    day, _ = parse_value(context, field, token, nth.group(1))
    week = nth.group(2)
    if not week or not 1 <= small_int(week) <= _MAX_NTH:
        context.fail(field, token, "needs a week number 1-5 after '#'")
    return _Day(Values((Term(day),), (day,)), nth=int(week))


def _uses_last(upper: str) -> bool:
    """Whether day-of-week text uses Quartz's ``L`` (``L``, ``6L``, ``FRIL``), as opposed to
    containing an L inside a wrong name such as ``JUL``."""
    for part in re.split(r"[,/-]", upper):
        if part == "L" or (part.endswith("L") and (part[:-1].isdigit() or part[:-1] in DAY_NAMES)):
            return True
    return False
