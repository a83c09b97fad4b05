"""Parsing: what each field selects, and one-line errors that name the field and the token,
with a corrected expression where one can be proposed."""

from __future__ import annotations

import dataclasses

import pytest

from brickyard.cron import CronExpression, CronSyntaxError, parse_cron
from brickyard.cron.fields import MAX_YEAR
from brickyard.errors import InvalidInputError


def _error(text: str) -> CronSyntaxError:
    with pytest.raises(CronSyntaxError) as raised:
        parse_cron(text)
    return raised.value


# ---------------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "attribute", "values"),
    [
        ("0 0 22-2 * * ?", "hours", (0, 1, 2, 22, 23)),
        ("0 50-10/5 * * * ?", "minutes", (0, 5, 10, 50, 55)),
        ("0 0 0 25-5 * ?", "day_of_month", (1, 2, 3, 4, 5, 25, 26, 27, 28, 29, 30, 31)),
        ("0 0 0 1 NOV-FEB ?", "month", (1, 2, 11, 12)),
        ("0 0 0 ? * FRI-MON", "day_of_week", (1, 2, 6, 7)),
        ("0 0 0 ? * 7-1", "day_of_week", (1, 7)),
        ("0 0 0 1 7/6 ?", "month", (7,)),  # a step never wraps into the next period
        ("0 0 0 ? 1/5 MON", "month", (1, 6, 11)),
        ("0 0 0 ? * */3", "day_of_week", (1, 4, 7)),
        ("/20 * * * * ?", "seconds", (0, 20, 40)),  # Quartz reads '/n' as '*/n'
        ("0 0 8-18/3 * * ?", "hours", (8, 11, 14, 17)),
        ("0 0 0 1-5/40 * ?", "day_of_month", (1,)),  # Quartz: any step after a range
        ("0005 0 0 * * ?", "seconds", (5,)),
        ("0 0 0 ? * L", "day_of_week", (7,)),  # 'L' alone is Saturday
        ("0 0 0 1 1 ? 2028/3", "year", tuple(range(2028, MAX_YEAR + 1, 3))),
        ("0 0 0 1 1 ? 2027,2029", "year", (2027, 2029)),
        ("0 0 0 ? jan,Feb mon", "month", (1, 2)),
    ],
)
def test_fields_select_what_quartz_selects(text: str, attribute: str, values: tuple[int]) -> None:
    selected = getattr(parse_cron(text).parsed, attribute)
    assert selected.values == values


def test_special_day_forms_set_quartzs_flags() -> None:
    last = parse_cron("0 0 0 l-3w * ?").parsed
    assert (last.last_day_of_month, last.last_day_offset, last.nearest_weekday) == (True, 3, True)
    weekday = parse_cron("0 0 0 15W * ?").parsed
    assert weekday.nearest_weekday and weekday.day_of_month is not None
    assert weekday.day_of_month.values == (15,)
    friday = parse_cron("0 0 0 ? * fril").parsed
    assert friday.last_day_of_week and friday.day_of_week is not None
    assert friday.day_of_week.values == (6,)
    third = parse_cron("0 0 0 ? * FRI#3").parsed
    assert third.nth_day_of_week == 3 and third.day_of_week is not None
    assert third.day_of_week.values == (6,)
    assert parse_cron("0 0 0 ? * L").parsed.last_day_of_week is False


def test_without_a_year_every_year_up_to_quartzs_last() -> None:
    fields = parse_cron("0 0 12 * * ?").parsed
    assert not fields.year_given
    assert fields.year.values == tuple(range(1970, MAX_YEAR + 1))


@pytest.mark.parametrize(
    "text", ["0\t0\t12 * * ?", "  0 0 12 * * ?  ", "0   0 12  * * ?", "0 0 12 * * ?\n"]
)
def test_runs_of_spaces_and_tabs_separate_fields(text: str) -> None:
    assert parse_cron(text).parsed == parse_cron("0 0 12 * * ?").parsed


def test_parse_is_cached_and_expressions_are_frozen_values() -> None:
    expression = parse_cron("0 0 2 * * ?")
    assert parse_cron("0 0 2 * * ?") is expression
    assert expression.text == "0 0 2 * * ?"
    assert expression == CronExpression("0 0 2 * * ?", expression.parsed)
    assert len({expression, parse_cron("0 0 2 * * ?"), parse_cron("0 0 3 * * ?")}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.text = "0 0 3 * * ?"  # type: ignore[misc]


# ---------------------------------------------------------------------------- field errors


@pytest.mark.parametrize(
    ("text", "field", "token", "message"),
    [
        ("0 0 0 ? * 8", "day-of-week", "8", "day-of-week: '8' is not in 1-7 or SUN-SAT"),
        ("0 60 * * * ?", "minutes", "60", "minutes: '60' is not in 0-59"),
        ("60 * * * * ?", "seconds", "60", "seconds: '60' is not in 0-59"),
        ("0 0 24 * * ?", "hours", "24", "hours: '24' is not in 0-23"),
        ("0 0 0 32 * ?", "day-of-month", "32", "day-of-month: '32' is not in 1-31"),
        ("0 0 0 ? 13 *", "month", "13", "month: '13' is not in 1-12 or JAN-DEC"),
        ("0 0 0 1 1 ? 1969", "year", "1969", "year: '1969' is not in 1970-2999"),
        ("0 0 0 5-0 * ?", "day-of-month", "0", "'0' is not in 1-31"),
        ("0 0 0 ? * 0", "day-of-week", "0", "Quartz's Sunday is 1"),
        ("0 ? * * * ?", "minutes", "?", "'?' works only in day-of-month and day-of-week"),
        ("0 0 0 ?X * MON", "day-of-month", "?X", "'?' stands alone"),
        ("0 L * * * ?", "minutes", "L", "'L' works only in day-of-month and day-of-week"),
        ("0 0 0 ? L *", "month", "L", "'L' works only"),
        ("0 0 0 ? * 15W", "day-of-week", "15W", "'W' works only in day-of-month"),
        ("0 0 0 ? * LW", "day-of-week", "LW", "'W' works only in day-of-month"),
        ("0 0 1#2 * * ?", "hours", "1#2", "'#' works only in day-of-week"),
        ("0 0 0 ? * 6#6", "day-of-week", "6#6", "week number 1-5"),
        ("0 0 0 ? * 6#0", "day-of-week", "6#0", "week number 1-5"),
        ("0 0 0 ? * 5#", "day-of-week", "5#", "week number 1-5"),
        ("0 0 0 ? * #3", "day-of-week", "#3", "one day before '#'"),
        ("0 0 0 ? * 2-6#2", "day-of-week", "2-6#2", "one day before '#'"),
        ("0 0 0 ? * 1#1,2#2", "day-of-week", "1#1,2#2", "more than one '#'"),
        ("0 0 0 ? * 6#3,2", "day-of-week", "6#3,2", "combines 'd#n' with other days"),
        ("0 0 0 ? * 3,L", "day-of-week", "3,L", "combines 'L' with other days"),
        ("0 0 0 ? * 1-6L", "day-of-week", "1-6L", "uses 'L' wrongly"),
        ("0 0 0 L,5 * ?", "day-of-month", "L,5", "combines 'L' with other days"),
        ("0 0 0 1W,15W * ?", "day-of-month", "1W,15W", "combines 'W' with other days"),
        ("0 0 0 1-15W * ?", "day-of-month", "1-15W", "'W' after something other than one day"),
        ("0 0 0 L-31 * ?", "day-of-month", "L-31", "more than 30 days from the last day"),
        ("0 0 0 L-3X * ?", "day-of-month", "L-3X", "uses 'L' wrongly"),
        ("0 0 0 0W * ?", "day-of-month", "0", "'0' is not in 1-31"),
        ("*/0 * * * * ?", "seconds", "*/0", "a step of 0"),
        ("0 0 0 1-5/0 * ?", "day-of-month", "1-5/0", "a step of 0"),
        ("*/60 * * * * ?", "seconds", "*/60", "a step larger than 59"),
        ("0 0 0 ? * */8", "day-of-week", "*/8", "a step larger than 7"),
        ("0 0 0 ? * 1/", "day-of-week", "1/", "needs a number after '/'"),
        ("0 0 0 ? * 1/2/3", "day-of-week", "1/2/3", "more than one '/'"),
        ("0 5- * * * ?", "minutes", "5-", "no value after '-'"),
        ("0 0 0 ? * -1", "day-of-week", "-1", "no value before '-'"),
        ("0 0 0 ? * 1,,2", "day-of-week", "1,,2", "empty item between commas"),
        ("0 0 0 5X * ?", "day-of-month", "5X", "has an unexpected 'X'"),
        ("*X * * * * ?", "seconds", "*X", "unexpected 'X' after '*'"),
        ("0 0 0 \u00e9 * ?", "day-of-month", "\u00e9", "unexpected character"),
        ("0 JAN * * * ?", "minutes", "JAN", "is a month"),
        ("0 0 0 ? MON *", "month", "MON", "is a day of the week"),
        ("0 0 0 ? * JUL", "day-of-week", "JUL", "is a month"),
        ("0 0 0 ? FOO *", "month", "FOO", "is not in 1-12 or JAN-DEC"),
        ("0 0 0 ? * MON-5", "day-of-week", "MON-5", "mixes a name and a number"),
        ("0 0 0 ? * MON-FRI/2", "day-of-week", "MON-FRI/2", "in numbers ('2-6/2')"),
        ("0 0 0 1 1 ? 2030-2020", "year", "2030-2020", "year ranges cannot wrap"),
        ("0 0 0 1 1 ? 2900/5", "year", "2900/5", "the last year Quartz fires in"),
        ("0 0 0 1 1 ? " + "9" * 5000, "year", "9" * 5000, "is not in 1970-2999"),
    ],
)
def test_field_errors_name_the_field_and_the_token(
    text: str, field: str, token: str, message: str
) -> None:
    error = _error(text)
    assert (error.field, error.token) == (field, token)
    assert message in str(error)
    assert str(error).startswith(f"{field}: '{token}' ")
    assert "\n" not in str(error)
    assert isinstance(error, InvalidInputError)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("0 0 0 ? * MONDAY", "0 0 0 ? * MON"),
        ("0 0 9 ? * Monday-Friday", "0 0 9 ? * MON-FRI"),
        ("0 0 0 ? JANUARY *", "0 0 0 ? JAN *"),
    ],
)
def test_spelled_out_names_get_their_three_letters(text: str, suggestion: str) -> None:
    error = _error(text)
    assert error.suggestion == suggestion
    assert str(error).endswith(f"; use '{suggestion}'")
    assert "first three letters" in str(error)


# ---------------------------------------------------------------------- whole-expression errors


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("0 0 0 * * MON", "0 0 0 ? * MON"),
        ("0 30 8-17 * * MON-FRI", "0 30 8-17 ? * MON-FRI"),
        ("0 0 0 15 * *", "0 0 0 15 * ?"),
        ("0 0 0 L * *", "0 0 0 L * ?"),
        ("0 0 0 * * *", "0 0 0 * * ?"),
    ],
)
def test_both_day_fields_set_shows_the_corrected_expression(text: str, suggestion: str) -> None:
    error = _error(text)
    assert error.field is None
    assert error.suggestion == suggestion
    assert "needs '?' in exactly one of them" in str(error)
    assert f"use '{suggestion}'" in str(error)
    parse_cron(suggestion)


def test_both_day_fields_restricted_has_no_suggestion_but_says_why() -> None:
    error = _error("0 0 0 15 * MON")
    assert error.suggestion is None
    assert "day-of-month '15' and day-of-week 'MON' are both set" in str(error)
    assert "two jobs" in str(error)


def test_both_day_fields_unspecified_suggests_a_star() -> None:
    error = _error("0 0 0 ? * ?")
    assert error.suggestion == "0 0 0 * * ?"
    assert "both '?'" in str(error)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("0 2 * * *", "0 0 2 * * ?"),
        ("*/5 * * * *", "0 */5 * * * ?"),
        ("0 9 * * 1-5", "0 0 9 ? * 2-6"),
        ("30 18 * * 0", "0 30 18 ? * 1"),
        ("0 12 * * MON,FRI", "0 0 12 ? * MON,FRI"),
        ("0 12 1 * ?", "0 0 12 1 * ?"),
        ("0 12 1 * 1", None),  # Unix fires on the 1st OR on Mondays: Quartz cannot
        ("0 12 * * 1/2", None),
    ],
)
def test_five_fields_are_unix_cron_and_get_the_quartz_form(
    text: str, suggestion: str | None
) -> None:
    error = _error(text)
    assert error.field is None
    assert "expected 6 or 7 fields" in str(error)
    assert "got 5" in str(error)
    assert "seconds" in str(error)
    assert error.suggestion == suggestion


@pytest.mark.parametrize("text", ["", "   ", "1 2 3 4", "0 0 0 * * ? 2026 extra", "1 2 3"])
def test_other_field_counts_say_what_quartz_wants(text: str) -> None:
    error = _error(text)
    assert error.field is None and error.suggestion is None
    assert "6 or 7 fields" in str(error)
    assert "seconds minutes hours day-of-month month day-of-week [year]" in str(error)
