"""CronExpression: ``matches`` on wall-clock fields, ``next_after`` / ``next_after_ms`` as Quartz
computes them, and the daylight-saving behaviour the package docstring describes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from brickyard.cron import java_timezone, parse_cron

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def _at(text: str, zone: dt.tzinfo = UTC) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _fires(expression: str, after: dt.datetime, count: int) -> list[str]:
    cron = parse_cron(expression)
    fires: list[str] = []
    moment: dt.datetime | None = after
    while len(fires) < count and moment is not None:
        moment = cron.next_after(moment)
        if moment is not None:
            fires.append(moment.isoformat())
    return fires


# ---------------------------------------------------------------------------------- matches


@pytest.mark.parametrize(
    ("expression", "moment", "expected"),
    [
        ("0 15 10 ? * 6L", "2026-01-30T10:15:00", True),  # the last Friday
        ("0 15 10 ? * 6L", "2026-01-23T10:15:00", False),
        ("0 15 10 ? * 6L", "2026-01-30T10:15:01", False),
        ("0 15 10 ? * 6L", "2026-01-30T10:15:00.999", True),  # fractions ignored
        ("0 0 9 15W * ?", "2026-02-16T09:00:00", True),  # the 15th is a Sunday
        ("0 0 9 15W * ?", "2026-02-15T09:00:00", False),
        ("0 0 9 1W * ?", "2026-08-03T09:00:00", True),  # Saturday the 1st: Monday the 3rd
        ("0 0 9 31W * ?", "2026-05-29T09:00:00", True),  # Sunday the 31st: Friday
        ("0 0 9 31W * ?", "2026-04-30T09:00:00", False),  # April has no 31st
        # ... but Quartz reads April 31 as May 1: a Saturday in 2027, so Friday the 30th
        ("0 0 9 31W * ?", "2027-04-30T09:00:00", True),
        ("0 0 0 LW * ?", "2026-01-30T00:00:00", True),  # Saturday the 31st: Friday
        ("0 0 0 L-3 * ?", "2026-02-25T00:00:00", True),
        ("0 0 0 L-30W * ?", "2026-02-02T00:00:00", False),  # February has no L-30
        ("0 0 0 ? * 6#5", "2026-01-30T00:00:00", True),
        ("0 0 0 ? * 6#5", "2026-02-27T00:00:00", False),  # only the fourth Friday
        ("0 0 0 ? * L", "2026-01-03T00:00:00", True),  # 'L' alone: Saturday
        ("0 0 0 29 2 ?", "2028-02-29T00:00:00", True),
        ("0 0 0 1 1 ? 2030", "2031-01-01T00:00:00", False),
    ],
)
def test_matches_reads_the_wall_clock_fields(expression: str, moment: str, expected: bool) -> None:
    assert parse_cron(expression).matches(_at(moment)) is expected


def test_matches_reads_the_fields_in_the_times_own_zone() -> None:
    two_in_paris = _at("2026-01-10T02:00:00", PARIS)
    cron = parse_cron("0 0 2 * * ?")
    assert cron.matches(two_in_paris)
    assert not cron.matches(two_in_paris.astimezone(UTC))


def test_naive_times_are_refused() -> None:
    cron = parse_cron("0 0 2 * * ?")
    with pytest.raises(ValueError, match="aware"):
        cron.matches(dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        cron.next_after(dt.datetime(2026, 1, 1))


# ------------------------------------------------------------------------------- next_after


def test_next_is_strictly_after_and_in_the_zone_of_after() -> None:
    cron = parse_cron("0 0 2 * * ?")
    at_two = _at("2026-01-10T02:00:00", PARIS)
    following = cron.next_after(at_two)
    assert following == _at("2026-01-11T02:00:00", PARIS)
    assert following is not None and following.tzinfo is PARIS


def test_fractions_of_a_second_are_dropped_as_quartz_does() -> None:
    cron = parse_cron("* * * * * ?")
    assert cron.next_after(_at("2026-01-01T10:00:00.999")) == _at("2026-01-01T10:00:01")
    assert cron.next_after_ms(1_767_261_600_999, UTC) == 1_767_261_601_000


def test_next_after_ms_uses_the_given_zone_and_whole_seconds() -> None:
    cron = parse_cron("0 0 2 * * ?")
    start = int(_at("2026-01-10T12:00:00", PARIS).timestamp() * 1000)
    fire = cron.next_after_ms(start, PARIS)
    assert fire is not None and fire % 1000 == 0
    assert dt.datetime.fromtimestamp(fire / 1000, PARIS) == _at("2026-01-11T02:00:00", PARIS)
    assert cron.next_after_ms(start, UTC) == int(_at("2026-01-11T02:00:00").timestamp()) * 1000


def test_none_when_the_years_run_out() -> None:
    cron = parse_cron("0 15 10 * * ? 2005")
    assert _fires("0 15 10 * * ? 2005", _at("2005-12-29T00:00:00"), 5) == [
        "2005-12-29T10:15:00+00:00",
        "2005-12-30T10:15:00+00:00",
        "2005-12-31T10:15:00+00:00",
    ]
    assert cron.next_after_ms(1_767_225_600_000, UTC) is None


def test_an_expression_that_never_fires_gives_none() -> None:
    assert parse_cron("0 0 0 30 2 ?").next_after(_at("2026-01-01T00:00:00")) is None
    assert parse_cron("0 0 0 31 4,6,9,11 ?").next_after(_at("2026-01-01T00:00:00")) is None


def test_l_minus_n_w_skips_months_too_short_where_quartz_hangs() -> None:
    assert _fires("0 0 18 L-30W * ?", _at("2026-01-01T00:00:00"), 3) == [
        "2026-01-01T18:00:00+00:00",  # 31 - 30 = the 1st, a Thursday
        "2026-03-02T18:00:00+00:00",  # February skipped; Sunday the 1st: Monday the 2nd
        "2026-05-01T18:00:00+00:00",  # April skipped
    ]


def test_java_custom_offsets_work_like_any_zone() -> None:
    assert _fires("0 0 0 * * ?", _at("2026-01-01T12:00:00", java_timezone("GMT-0830")), 1) == [
        "2026-01-02T00:00:00-08:30"
    ]


# ------------------------------------------------------------------- daylight saving (Quartz)


def test_a_wall_time_that_does_not_exist_is_skipped() -> None:
    assert _fires("0 30 2 * * ?", _at("2026-03-27T12:00:00", PARIS), 3) == [
        "2026-03-28T02:30:00+01:00",
        "2026-03-30T02:30:00+02:00",
        "2026-03-31T02:30:00+02:00",
    ]
    assert _fires("0 0 * * * ?", _at("2026-03-29T00:30:00", PARIS), 3) == [
        "2026-03-29T01:00:00+01:00",
        "2026-03-29T03:00:00+02:00",
        "2026-03-29T04:00:00+02:00",
    ]


def test_a_repeated_wall_time_fires_once_at_its_second_occurrence() -> None:
    assert _fires("0 30 2 * * ?", _at("2026-10-24T12:00:00", PARIS), 2) == [
        "2026-10-25T02:30:00+01:00",
        "2026-10-26T02:30:00+01:00",
    ]
    assert _fires("0 0 * * * ?", _at("2026-10-25T00:30:00", PARIS), 3) == [
        "2026-10-25T01:00:00+02:00",
        "2026-10-25T02:00:00+01:00",  # not 02:00+02:00, an hour earlier
        "2026-10-25T03:00:00+01:00",
    ]
    first_pass = _at("2026-10-25T02:29:55+02:00", PARIS)
    assert _fires("* * * * * ?", first_pass, 1) == ["2026-10-25T02:29:56+01:00"]
    # from 01:40 EDT the next quarter is 01:45 EST: 01:45 EDT is never a fire time
    assert _fires("0 */15 1-3 * * ?", _at("2026-11-01T01:40:00-04:00", NEW_YORK), 2) == [
        "2026-11-01T01:45:00-05:00",
        "2026-11-01T02:00:00-05:00",
    ]
