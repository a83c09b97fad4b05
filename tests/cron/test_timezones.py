"""java_timezone: Java time-zone ids as Python zones; unknown ids are an error, not GMT."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from brickyard.cron import java_timezone
from brickyard.errors import InvalidInputError

JANUARY = dt.datetime(2026, 1, 15, 12, 0)
JULY = dt.datetime(2026, 7, 15, 12, 0)


def _offset(timezone_id: str, moment: dt.datetime = JANUARY) -> dt.timedelta | None:
    return moment.replace(tzinfo=java_timezone(timezone_id)).utcoffset()


@pytest.mark.parametrize(
    ("timezone_id", "hours"),
    [
        ("UTC", 0),
        ("GMT", 0),
        ("Z", 0),
        ("Etc/GMT+5", -5),  # POSIX sign, as in Java
        ("GMT+5", 5),
        ("GMT+05:00", 5),
        ("GMT-0830", -8.5),
        ("GMT-830", -8.5),
        ("UTC+01:00", 1),
        ("UTC-3", -3),
        ("EST", -5),  # Java's EST is a fixed offset
        ("Asia/Kolkata", 5.5),
        ("IST", 5.5),  # Java's old three-letter ids
    ],
)
def test_fixed_offsets(timezone_id: str, hours: float) -> None:
    assert _offset(timezone_id) == dt.timedelta(hours=hours)
    assert _offset(timezone_id, JULY) == dt.timedelta(hours=hours)


@pytest.mark.parametrize(
    ("timezone_id", "winter", "summer"),
    [
        ("Europe/Paris", 1, 2),
        ("America/New_York", -5, -4),
        ("ECT", 1, 2),
        ("PST", -8, -7),
        ("Australia/Sydney", 11, 10),
    ],
)
def test_zones_with_daylight_saving(timezone_id: str, winter: int, summer: int) -> None:
    assert _offset(timezone_id) == dt.timedelta(hours=winter)
    assert _offset(timezone_id, JULY) == dt.timedelta(hours=summer)


def test_iana_ids_are_zoneinfo_zones() -> None:
    assert java_timezone("Europe/Paris") == ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "timezone_id", ["Mars/Base", "", "GMT+", "GMT+24", "GMT+05:60", "../etc/passwd", "Europe", "\0"]
)
def test_unknown_ids_are_refused(timezone_id: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        java_timezone(timezone_id)
    assert str(raised.value).startswith(f"timezone_id: {timezone_id!r} is not ")


def test_the_message_names_the_id_and_shows_examples() -> None:
    with pytest.raises(InvalidInputError) as raised:
        java_timezone("Mars/Base")
    assert str(raised.value) == (
        "timezone_id: 'Mars/Base' is not a known time zone "
        "(use a Java/IANA id such as 'Europe/Paris' or 'UTC')"
    )


def test_a_wrongly_cased_id_gets_the_right_one() -> None:
    with pytest.raises(InvalidInputError, match="did you mean 'Europe/Paris'"):
        java_timezone("europe/paris")
