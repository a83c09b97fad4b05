"""The next fire time: a line-by-line port of Quartz 2.3.2's ``CronExpression.getTimeAfter``.

The search starts one second after ``after`` (milliseconds dropped) and walks the fields from
seconds up to years: when a field's value is not allowed it moves to the next allowed one,
resets the finer fields and starts over. All arithmetic happens on a lenient calendar in the
schedule's zone (:mod:`~brickyard.cron.java_calendar`), so daylight-saving changes
come out exactly as in Quartz. Deliberate differences are marked ``DEVIATION`` and listed in
the package docstring.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from typing import Final

from brickyard.cron.fields import MAX_YEAR, SEARCH_END_YEAR, CronFields
from brickyard.cron.java_calendar import LenientCalendar, YearOutOfRange, days_in_month

_SATURDAY: Final = 7
_SUNDAY: Final = 1
_MAX_STEPS: Final = 200_000
"""Far more turns than any expression needs (a never-matching one walks every month up to
MAX_YEAR in a few thousand); reaching it means a bug, which must not hang the scheduler."""


def next_fire(fields: CronFields, after_seconds: int, zone: dt.tzinfo) -> int | None:
    """The first fire time (epoch seconds) strictly after ``after_seconds``, or None."""
    try:
        return _time_after(fields, after_seconds, zone)
    except YearOutOfRange:
        return None


def _first_at_or_after(values: tuple[int, ...], value: int) -> int | None:
    """``TreeSet.tailSet(value).first()``, None for an empty tail."""
    index = bisect_left(values, value)
    return values[index] if index < len(values) else None


def _set_hour(cal: LenientCalendar, hour: int) -> None:
    """Quartz's ``setCalendarHour``: an hour a DST gap swallowed becomes the next one."""
    cal.hour = hour
    cal.touch()
    cal.normalize()
    if hour not in (cal.hour, 24):
        cal.hour = hour + 1
        cal.touch()


def _reset_to(cal: LenientCalendar, day: int, month: int, year: int | None = None) -> None:
    """``set(SECOND, 0); set(MINUTE, 0); set(HOUR_OF_DAY, 0); set(DAY_OF_MONTH, day); ...``"""
    cal.second = cal.minute = cal.hour = 0
    cal.day = day
    cal.month = month
    if year is not None:
        cal.year = year
    cal.touch()


def _time_after(fields: CronFields, after_seconds: int, zone: dt.tzinfo) -> int | None:
    seconds = fields.seconds.values
    minutes = fields.minutes.values
    hours = fields.hours.values
    months = fields.month.values
    years = fields.year.values
    # Quartz compares candidate W days against afterTime = after + 1 s (whole seconds: see the
    # package docstring on milliseconds).
    after_time = after_seconds + 1
    cal = LenientCalendar(zone, after_time)
    for _ in range(_MAX_STEPS):
        cal.normalize()
        if cal.year > SEARCH_END_YEAR:
            return None

        # seconds
        sec, minute = cal.second, cal.minute
        found = _first_at_or_after(seconds, sec)
        if found is not None:
            sec = found
        else:
            sec = seconds[0]
            cal.minute = minute + 1
        cal.second = sec
        cal.touch()
        cal.normalize()

        # minutes
        minute, hour = cal.minute, cal.hour
        found = _first_at_or_after(minutes, minute)
        if found is not None:
            current, minute = minute, found
        else:
            current, minute, hour = -1, minutes[0], hour + 1
        if minute != current:
            cal.second = 0
            cal.minute = minute
            _set_hour(cal, hour)
            continue
        cal.touch()  # set(MINUTE, min) with the value it has
        cal.normalize()

        # hours
        hour, day = cal.hour, cal.day
        found = _first_at_or_after(hours, hour)
        if found is not None:
            current, hour = hour, found
        else:
            current, hour, day = -1, hours[0], day + 1
        if hour != current:
            cal.second = cal.minute = 0
            cal.day = day
            _set_hour(cal, hour)
            continue
        cal.touch()
        cal.normalize()

        # day of month / day of week
        if fields.day_of_week is None:
            moved = _day_of_month(fields, cal, after_time, sec, minute, hour)
        else:
            moved = _day_of_week(fields, cal)
        if moved:
            continue
        cal.touch()  # set(DAY_OF_MONTH, day) with the day it has
        cal.normalize()

        # months
        month, year = cal.month, cal.year
        if year > MAX_YEAR:
            return None
        found = _first_at_or_after(months, month)
        if found is not None:
            current, month = month, found
        else:
            current, month, year = -1, months[0], year + 1
        if month != current:
            _reset_to(cal, 1, month, year)
            continue
        cal.touch()
        cal.normalize()

        # years
        year = cal.year
        found = _first_at_or_after(years, year)
        if found is None:
            return None
        if found != year:
            _reset_to(cal, 1, 1, found)
            continue
        cal.touch()
        cal.normalize()
        return cal.instant
    raise RuntimeError(f"no fire time found in {_MAX_STEPS} steps; this is a bug")


def _day_of_month(
    fields: CronFields, cal: LenientCalendar, after_time: int, sec: int, minute: int, hour: int
) -> bool:
    """Quartz's day-of-month branch; True when it moved the calendar (``continue``)."""
    assert fields.day_of_month is not None
    days = fields.day_of_month.values
    day, month, year = cal.day, cal.month, cal.year
    current_month = month
    current = -1
    if fields.last_day_of_month:
        current = day
        day = days_in_month(month, year) - fields.last_day_offset
        if not fields.nearest_weekday:
            if current > day:
                month += 1
                if month > 12:
                    month = 1
                    current_month = -1  # Quartz's tmon = 3333: always "moved"
                    cal.year += 1
                day = 1
        elif day < 1:
            # DEVIATION: L-nW in a month shorter than n + 1 days. Quartz sets a day <= 0, which
            # rolls back into the previous month, and loops forever; there is no such day, so
            # skip the month as L-n does.
            month += 1
            day = 1
        else:
            day = _nearest_weekday(cal, day, month, year)
            if _candidate(cal, day, month, sec, minute, hour) < after_time:
                day = 1
                month += 1
    elif fields.nearest_weekday:
        current = day
        # A day past the month's end rolls over into the next month here, as in Quartz: see
        # expression.nearest_weekday for what that makes of 31W in a 30-day month.
        day = _nearest_weekday(cal, days[0], month, year)
        if _candidate(cal, day, month, sec, minute, hour) < after_time:
            day = days[0]
            month += 1
    else:
        found = _first_at_or_after(days, day)
        if found is not None:
            current, day = day, found
            if day > days_in_month(month, year):
                day = days[0]
                month += 1
        else:
            day = days[0]
            month += 1
    if day != current or month != current_month:
        _reset_to(cal, day, month)
        return True
    return False


def _nearest_weekday(cal: LenientCalendar, day: int, month: int, year: int) -> int:
    """Quartz's W rule for ``day`` of ``month``: a Saturday moves to Friday (to Monday the 3rd
    on the 1st), a Sunday to Monday (to Friday on the month's last day)."""
    probe = LenientCalendar(cal.zone, cal.instant)
    probe.year, probe.month, probe.day = year, month, day
    probe.hour = probe.minute = probe.second = 0
    probe.touch()
    probe.normalize()
    weekday = probe.day_of_week
    last = days_in_month(month, year)
    if weekday == _SATURDAY:
        return day + 2 if day == 1 else day - 1
    if weekday == _SUNDAY:
        return day - 2 if day == last else day + 1
    return day


def _candidate(cal: LenientCalendar, day: int, month: int, sec: int, minute: int, hour: int) -> int:
    """The instant of ``day`` (lenient) at the time of day being searched, in the year of
    ``cal`` (Quartz's ``tcal`` before its ``nTime.before(afterTime)`` check)."""
    probe = LenientCalendar(cal.zone, cal.instant)
    probe.month, probe.day = month, day
    probe.hour, probe.minute, probe.second = hour, minute, sec
    probe.touch()
    probe.normalize()
    return probe.instant


def _day_of_week(fields: CronFields, cal: LenientCalendar) -> bool:
    """Quartz's day-of-week branch; True when it moved the calendar (``continue``)."""
    assert fields.day_of_week is not None
    weekdays = fields.day_of_week.values
    day, month, year = cal.day, cal.month, cal.year
    today = cal.day_of_week
    last_day = days_in_month(month, year)
    if fields.last_day_of_week:
        target = weekdays[0]
        ahead = (target - today) % 7
        if day + ahead > last_day:
            _reset_to(cal, 1, month + 1)
            return True
        while day + ahead + 7 <= last_day:
            ahead += 7
        if ahead > 0:
            _reset_to(cal, day + ahead, month)
            return True
        return False
    if fields.nth_day_of_week:
        target = weekdays[0]
        ahead = (target - today) % 7
        day += ahead
        week = (day + 6) // 7
        ahead_weeks = (fields.nth_day_of_week - week) * 7
        day += ahead_weeks
        if ahead_weeks < 0 or day > last_day:
            _reset_to(cal, 1, month + 1)
            return True
        if ahead_weeks > 0 or ahead > 0:
            _reset_to(cal, day, month)
            return True
        return False
    later = _first_at_or_after(weekdays, today)
    ahead = ((later if later is not None else weekdays[0]) - today) % 7
    if day + ahead > last_day:
        _reset_to(cal, 1, month + 1)
        return True
    if ahead > 0:
        _reset_to(cal, day + ahead, month)
        return True
    return False
