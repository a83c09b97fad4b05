""":class:`CronExpression`: a parsed Quartz cron expression that says whether a time matches it
and when it fires next; :func:`parse_cron` makes (and caches) them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from brickyard.cron.fields import CronFields
from brickyard.cron.fire_times import next_fire
from brickyard.cron.java_calendar import days_in_month
from brickyard.cron.parse import parse_fields

_UTC_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND: Final = dt.timedelta(seconds=1)
_SATURDAY: Final = 7
_SUNDAY: Final = 1


@dataclass(frozen=True, slots=True)
class CronExpression:
    """A valid Quartz cron expression. Equal (and hashing) by its text."""

    text: str
    """The expression as given."""
    parsed: CronFields = field(compare=False, repr=False)
    """What the text means, field by field."""

    def matches(self, at: dt.datetime) -> bool:
        """Whether the wall-clock time of ``at`` (tz-aware, read in its own zone; fractions of
        a second ignored) is one the expression names."""
        _require_aware(at, "at")
        fields = self.parsed
        return (
            at.second in fields.seconds.values
            and at.minute in fields.minutes.values
            and at.hour in fields.hours.values
            and at.month in fields.month.values
            and at.year in fields.year.values
            and _day_matches(fields, at.date())
        )

    def next_after(self, after: dt.datetime) -> dt.datetime | None:
        """The first fire time strictly after ``after`` (tz-aware), in ``after``'s zone, as
        Quartz's ``getTimeAfter`` computes it (daylight-saving changes included); None when
        there is none (the years have run out)."""
        _require_aware(after, "after")
        zone = after.tzinfo
        assert zone is not None
        fire = next_fire(self.parsed, (after - _UTC_EPOCH) // _SECOND, zone)
        return None if fire is None else dt.datetime.fromtimestamp(fire, zone)

    def next_after_ms(self, after_ms: int, zone: dt.tzinfo) -> int | None:
        """:meth:`next_after` on epoch milliseconds (the scheduler's unit), evaluated in
        ``zone``; the result is a whole second."""
        fire = next_fire(self.parsed, after_ms // 1000, zone)
        return None if fire is None else fire * 1000


@lru_cache(maxsize=4096)
def parse_cron(text: str) -> CronExpression:
    """Parse a Quartz cron expression; raise ``CronSyntaxError`` (an ``InvalidInputError``)
    naming the field and token when it is not one Quartz would run as written."""
    return CronExpression(text, parse_fields(text))


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone aware datetime, got {value!r}")


def _day_matches(fields: CronFields, day: dt.date) -> bool:
    last = days_in_month(day.month, day.year)
    if fields.day_of_week is not None:
        weekday = day.isoweekday() % 7 + 1  # Quartz: 1 = Sunday
        target = fields.day_of_week.values
        if fields.last_day_of_week:
            return weekday == target[0] and day.day + 7 > last
        if fields.nth_day_of_week:
            return weekday == target[0] and (day.day + 6) // 7 == fields.nth_day_of_week
        return weekday in target
    assert fields.day_of_month is not None
    if fields.last_day_of_month:
        wanted = last - fields.last_day_offset
        if wanted < 1:
            return False
        if fields.nearest_weekday:
            wanted = nearest_weekday(day.year, day.month, wanted)
        return day.day == wanted
    if fields.nearest_weekday:
        return day.day == nearest_weekday(day.year, day.month, fields.day_of_month.values[0])
    return day.day in fields.day_of_month.values


def nearest_weekday(year: int, month: int, day: int) -> int:
    """The day of the month Quartz's ``dayW`` fires on: the weekday nearest ``day``, a Saturday
    moving to Friday (to Monday the 3rd on the 1st), a Sunday to Monday (to Friday on the
    month's last day).

    A day past the month's end is, as in Quartz's lenient calendar, a day of the next month,
    so the answer is usually past the end too (no fire that month), except when that day is a
    Saturday just past the end: ``31W`` fires on Friday April 30, 2027, as May 1 is a Saturday.
    """
    weekday = (dt.date(year, month, 1) + dt.timedelta(days=day - 1)).isoweekday() % 7 + 1
    if weekday == _SATURDAY:
        return day + 2 if day == 1 else day - 1
    if weekday == _SUNDAY:
        return day - 2 if day == days_in_month(month, year) else day + 1
    return day
