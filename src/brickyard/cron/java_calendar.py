"""The part of ``java.util.GregorianCalendar`` that Quartz's fire-time search leans on.

Quartz moves a lenient calendar around by setting wall-clock fields (``set(MINUTE, 61)``,
``set(DAY_OF_MONTH, 0)``...) and reading them back. Reading after a set recomputes the instant
from the wall-clock fields: overflowing fields carry into the next ones, and the wall time is
turned into an instant with the zone's offset *at that wall time*. That last step decides what
Quartz does around daylight-saving changes, so it is reproduced exactly:

- a wall time in a gap (spring forward) takes the offset from before the change, so 02:30 in
  Paris on the last Sunday of March becomes 03:30 CEST;
- a wall time that happens twice (fall back) takes the offset from after the change, the later
  of the two instants, so 02:30 becomes 02:30 CET;
- both cases together: of the two offsets around a change, Java takes the smaller one, which
  gives the *later* instant. (Checked against the jar up to 2040, past the end of Java's
  transition tables in 2037, where its rule-based zones take over: the same.)

Setting a field, even to the value it already has, makes the next read recompute; so a
calendar standing on the first 02:30 of a fall-back night jumps to the second one as soon as
Quartz touches it.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

_EPOCH: Final = dt.datetime(1970, 1, 1)
_EPOCH_ORDINAL: Final = _EPOCH.toordinal()
_DAY: Final = 86_400
_MIN_YEAR: Final = 2
_MAX_YEAR: Final = 9998


class YearOutOfRange(Exception):  # noqa: N818 - a signal to stop searching, not an error
    """The calendar was moved beyond the years Python's datetime can represent."""


class LenientCalendar:
    """Wall-clock fields in a zone (month 1-12, unlike Java's 0-11) over an epoch-second instant.

    Assign fields freely (out-of-range values are fine) and call :meth:`normalize` where Java
    would read a field; it carries overflows and re-derives every field from the instant.
    """

    __slots__ = (
        "_resolved_wall",
        "day",
        "dirty",
        "hour",
        "instant",
        "minute",
        "month",
        "second",
        "year",
        "zone",
    )

    def __init__(self, zone: dt.tzinfo, instant: int) -> None:
        self.zone = zone
        self.set_instant(instant)

    def set_instant(self, instant: int, resolved_wall: int | None = None) -> None:
        """Stand on ``instant`` (epoch seconds); the fields are its wall-clock time.

        ``resolved_wall``: the wall time the instant was resolved from, if it was. When the
        instant shows that same wall time, resolving it again gives the same instant, so
        :meth:`normalize` skips the work while the fields keep those values.
        """
        try:
            wall = dt.datetime.fromtimestamp(instant, self.zone)
        except (OverflowError, OSError, ValueError):
            raise YearOutOfRange(instant) from None
        self.year, self.month, self.day = wall.year, wall.month, wall.day
        self.hour, self.minute, self.second = wall.hour, wall.minute, wall.second
        self.instant = instant
        self.dirty = False
        self._resolved_wall = None
        if resolved_wall is not None:
            offset = wall.utcoffset()
            if offset is not None and instant + int(offset.total_seconds()) == resolved_wall:
                self._resolved_wall = resolved_wall

    def touch(self) -> None:
        """Mark a field as set (Java's ``set`` of a field to the value it has)."""
        self.dirty = True

    def normalize(self) -> None:
        """Recompute the instant from the fields, as a read after a ``set`` does in Java."""
        if not self.dirty:
            return
        year = self.year + (self.month - 1) // 12
        month = (self.month - 1) % 12 + 1
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise YearOutOfRange(year)
        days = dt.date(year, month, 1).toordinal() - _EPOCH_ORDINAL + self.day - 1
        wall = days * _DAY + self.hour * 3600 + self.minute * 60 + self.second
        if wall == self._resolved_wall:
            # Setting fields to the values they have: Java recomputes, and gets the same instant
            # (its resolution of a wall time is stable), so skip the time-zone work.
            self.dirty = False
            return
        self.set_instant(instant_of_wall(wall, self.zone), wall)

    @property
    def day_of_week(self) -> int:
        """Java's ``DAY_OF_WEEK`` of the (normalized) date: 1 = Sunday ... 7 = Saturday."""
        return dt.date(self.year, self.month, self.day).isoweekday() % 7 + 1


def instant_of_wall(wall: int, zone: dt.tzinfo) -> int:
    """The instant (epoch seconds) Java's lenient calendar gives the wall time ``wall`` (seconds
    since 1970-01-01T00:00 on the zone's clock)."""
    naive = _EPOCH + dt.timedelta(seconds=wall)
    first = naive.replace(tzinfo=zone).utcoffset()
    second = naive.replace(tzinfo=zone, fold=1).utcoffset()
    if first is None or second is None:
        raise ValueError(f"time zone {zone!r} has no UTC offset")
    # In a gap or an overlap the two folds give the offsets before and after the change.
    return wall - int(min(first, second).total_seconds())


def days_in_month(month: int, year: int) -> int:
    """Quartz's ``getLastDayOfMonth`` (proleptic Gregorian leap years)."""
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31
