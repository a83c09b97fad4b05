"""Property tests: random valid expressions (built from valid tokens) and random start times.

- the next fire time matches the expression and is strictly after the start;
- in zones without daylight saving no matching second lies between the start and it (with
  daylight saving Quartz skips the first pass through a repeated hour, see test_expression.py);
- consecutive fire times increase;
- any text parses to an expression or raises CronSyntaxError, nothing else.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from brickyard.cron import CronExpression, CronSyntaxError, explain_cron, parse_cron
from brickyard.cron.fields import CronFields
from brickyard.cron.java_calendar import days_in_month

DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
FIXED_ZONES: list[dt.tzinfo] = [
    dt.UTC,
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(dt.timedelta(hours=-8)),
    ZoneInfo("Asia/Tokyo"),
]
DST_ZONES: list[dt.tzinfo] = [
    ZoneInfo("Europe/Paris"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),
    ZoneInfo("America/Havana"),
]
FAST = settings(max_examples=200, derandomize=True, deadline=None)


@st.composite
def values(draw: st.DrawFn, low: int, high: int, names: list[str] | None = None) -> str:
    """One field of plain items: values, names, ranges (some wrapping), lists and steps."""

    def value() -> str:
        number = draw(st.integers(low, high))
        if names and draw(st.booleans()):
            return names[number - low]
        return str(number)

    def item() -> str:
        kind = draw(st.sampled_from(["value", "range", "star-step", "value-step", "range-step"]))
        step = draw(st.integers(1, min(high - low, 20)))
        if kind == "value":
            return value()
        if kind == "range":
            start, end = draw(st.integers(low, high)), draw(st.integers(low, high))
            if names and draw(st.booleans()):
                return f"{names[start - low]}-{names[end - low]}"
            return f"{start}-{end}"
        if kind == "star-step":
            return f"*/{step}"
        if kind == "value-step":
            return f"{draw(st.integers(low, high))}/{step}"
        return f"{draw(st.integers(low, high))}-{draw(st.integers(low, high))}/{step}"

    if draw(st.integers(0, 4)) == 0:
        return "*"
    return ",".join(item() for _ in range(draw(st.integers(1, 3))))


@st.composite
def expressions(draw: st.DrawFn) -> str:
    seconds = draw(st.sampled_from(["0", "0", "30"]) | values(0, 59))
    minutes = draw(st.sampled_from(["0", "*"]) | values(0, 59))
    hours = draw(values(0, 23))
    if draw(st.booleans()):
        dom = draw(
            values(1, 31)
            | st.sampled_from(["L", "LW", "1W", "15W", "30W", "31W"])
            | st.integers(0, 30).map(lambda n: f"L-{n}")
            | st.integers(0, 8).map(lambda n: f"L-{n}W")
            | st.integers(1, 31).map(lambda n: f"{n}W")
        )
        dow = "?"
    else:
        dom = "?"
        dow = draw(
            values(1, 7, DAYS)
            | st.sampled_from(["L", "*"])
            | st.integers(1, 7).map(lambda n: f"{n}L")
            | st.tuples(st.sampled_from([*DAYS, "1", "4", "7"]), st.integers(1, 5)).map(
                lambda pair: f"{pair[0]}#{pair[1]}"
            )
        )
    month = draw(st.sampled_from(["*", "*"]) | values(1, 12, MONTHS))
    year = draw(
        st.sampled_from(["", "", "", " *", " 2030-2040", " 2025/3"])
        | st.integers(1990, 2070).map(lambda y: f" {y}")
    )
    return f"{seconds} {minutes} {hours} {dom} {month} {dow}{year}"


def starts(zones: list[dt.tzinfo]) -> st.SearchStrategy[dt.datetime]:
    return st.datetimes(
        min_value=dt.datetime(1995, 1, 1),
        max_value=dt.datetime(2060, 1, 1),
        timezones=st.sampled_from(zones),
        allow_imaginary=False,
    )


def _first_match_from(
    fields: CronFields, start: dt.datetime, end: dt.datetime
) -> dt.datetime | None:
    """The first wall time in [start, end) that the fields name, scanning days, not seconds
    (only for zones whose offset never changes)."""
    day = start.date()
    while day <= end.date():
        if _day_matches(fields, day):
            earliest = start.time() if day == start.date() else dt.time()
            for hour in fields.hours.values:
                for minute in fields.minutes.values:
                    for second in fields.seconds.values:
                        if (hour, minute, second) < (
                            earliest.hour,
                            earliest.minute,
                            earliest.second,
                        ):
                            continue
                        moment = dt.datetime.combine(
                            day, dt.time(hour, minute, second), start.tzinfo
                        )
                        return moment if moment < end else None
        day += dt.timedelta(days=1)
    return None


def _day_matches(fields: CronFields, day: dt.date) -> bool:
    """Restated from the documentation, independently of CronExpression.matches."""
    if day.month not in fields.month.values or day.year not in fields.year.values:
        return False
    last = days_in_month(day.month, day.year)
    weekday = day.isoweekday() % 7 + 1
    if fields.day_of_week is not None:
        wanted = fields.day_of_week.values
        if fields.last_day_of_week:
            return weekday == wanted[0] and day.day > last - 7
        if fields.nth_day_of_week:
            return weekday == wanted[0] and (day.day - 1) // 7 + 1 == fields.nth_day_of_week
        return weekday in wanted
    assert fields.day_of_month is not None
    target = fields.day_of_month.values[0] if fields.day_of_month.values else 0
    if fields.last_day_of_month:
        target = last - fields.last_day_offset
    elif not fields.nearest_weekday:
        return day.day in fields.day_of_month.values
    if target < 1:
        return False
    if fields.nearest_weekday:
        # the weekday nearest the target; a target past the month's end is a day of the next
        # month (Quartz's lenient calendar): 31W fires on April 30 when May 1 is a Saturday
        virtual = day.replace(day=1) + dt.timedelta(days=target - 1)
        if virtual.isoweekday() == 6:  # Saturday
            target = target + 2 if target == 1 else target - 1
        elif virtual.isoweekday() == 7:  # Sunday
            target = target - 2 if target == last else target + 1
    return day.day == target


@FAST
@given(expressions(), starts(FIXED_ZONES))
def test_nothing_matches_between_the_start_and_the_next_fire(text: str, start: dt.datetime) -> None:
    cron = parse_cron(text)
    fire = cron.next_after(start)
    if fire is None:
        return
    assert fire > start and fire.microsecond == 0
    assert cron.matches(fire)
    first_second = start.replace(microsecond=0) + dt.timedelta(seconds=1)
    assert _first_match_from(cron.parsed, first_second, fire) is None
    assert _first_match_from(cron.parsed, first_second, fire + dt.timedelta(seconds=1)) == fire


@FAST
@given(expressions(), starts(DST_ZONES))
def test_fires_match_and_increase_with_daylight_saving(text: str, start: dt.datetime) -> None:
    cron = parse_cron(text)
    previous = start
    for _ in range(3):
        fire = cron.next_after(previous)
        if fire is None:
            return
        assert fire > previous
        assert cron.matches(fire)
        assert fire.tzinfo is start.tzinfo
        previous = fire


@FAST
@given(expressions())
def test_valid_expressions_parse_and_explain_in_one_sentence(text: str) -> None:
    cron = parse_cron(text)
    assert isinstance(cron, CronExpression)
    assert parse_cron(text.lower()).parsed == cron.parsed
    sentence = explain_cron(cron)
    assert sentence[0].isupper() and "\n" not in sentence


@settings(max_examples=500, derandomize=True, deadline=None)
@given(
    st.text()
    | st.lists(
        st.sampled_from(
            [
                "0",
                "5",
                "*",
                "?",
                "L",
                "W",
                "#",
                "-",
                "/",
                ",",
                "MON",
                "JAN",
                "L-3",
                "6#3",
                " ",
                "\t",
                "99",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_any_text_is_an_expression_or_a_cron_syntax_error(text: str) -> None:
    try:
        parse_cron(text)
    except CronSyntaxError as error:
        assert "\n" not in str(error)
