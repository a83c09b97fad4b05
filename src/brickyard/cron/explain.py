"""One English sentence for a cron expression, saying what Quartz does with it.

``0 */4 * * * ?`` -> "Every 4 minutes" (the second field is minutes, not hours),
``0 0 2 * * ?`` -> "At 02:00:00 every day", ``0 15 10 ? * MON-FRI`` -> "At 10:15:00, Monday
through Friday".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from brickyard.cron.expression import CronExpression
from brickyard.cron.fields import CronFields, Term, Values

_DAYS: Final = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTHS: Final = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_ORDINALS: Final = ("first", "second", "third", "fourth", "fifth")
_MAX_LISTED_TIMES: Final = 6


def explain_cron(expression: CronExpression) -> str:
    """What ``expression`` does, in one English sentence."""
    fields = expression.parsed
    time, exact = _time(fields)
    date = _date(fields)
    days = date if date is not None else _days(fields)
    months = None if date is not None else _months(fields.month)
    rest = [part for part in (months, _years(fields)) if part]
    # every day: "At 02:00:00 every day", but plainly "Every 4 minutes"
    every_day = f"{time} every day" if exact else time
    sentence = f"{time}, {days}" if days is not None else every_day
    return ", ".join([sentence, *rest])


# -------------------------------------------------------------------------------- time of day


def _time(fields: CronFields) -> tuple[str, bool]:
    """The time-of-day part, and whether it is a list of clock times (``At 02:00:00``)."""
    seconds, minutes, hours = fields.seconds, fields.minutes, fields.hours
    count = len(seconds.values) * len(minutes.values) * len(hours.values)
    if _plain(seconds) and _plain(minutes) and _plain(hours) and count <= _MAX_LISTED_TIMES:
        times = [
            f"{hour:02d}:{minute:02d}:{second:02d}"
            for hour in hours.values
            for minute in minutes.values
            for second in seconds.values
        ]
        return "At " + _join(times), True
    if _single(seconds) and _single(minutes):
        second = seconds.values[0]
        finest = f"at minute {minutes.values[0]}" + (f" and second {second}" if second else "")
        parts = [finest + (" of every hour" if hours.is_all else "")]
    else:
        parts = [] if seconds.values == (0,) else [_unit(seconds, "second")]
        if not minutes.is_all:
            parts.append(_unit(minutes, "minute"))
        elif not parts:
            parts.append("every minute")
        elif parts[-1].startswith("at "):
            parts[-1] += " of every minute"
        if hours.is_all and parts[-1].startswith("at ") and not minutes.is_all:
            parts[-1] += " of every hour"
    if not hours.is_all:
        parts.append(_hours(hours))
    text = ", ".join(parts)
    return text[0].upper() + text[1:], False


def _single(values: Values) -> bool:
    return _plain(values) and len(values.values) == 1


def _plain(values: Values) -> bool:
    """Written as values only: ``5`` or ``10,44``."""
    return all(t.start is not None and t.end is None and t.step is None for t in values.terms)


def _unit(values: Values, unit: str) -> str:
    """``every 4 minutes``, ``at minute 30``, ``at seconds 15 and 45``, ``every minute from
    minute 0 through 5``..."""
    if _plain(values):
        label = unit if len(values.values) == 1 else f"{unit}s"
        return f"at {label} {_join([str(v) for v in values.values])}"
    return _join([_unit_term(term, unit) for term in values.terms])


def _unit_term(term: Term, unit: str) -> str:
    every = f"every {term.step} {unit}s" if term.step and term.step > 1 else f"every {unit}"
    if term.start is None:
        return every
    if term.end is None and term.step is None:
        return f"at {unit} {term.start}"
    if term.end is None:
        return f"{every} from {unit} {term.start}"
    return f"{every} from {unit} {term.start} through {term.end}"


def _hours(values: Values) -> str:
    """``during hour 14``, ``during hours 14 and 18``, ``every 2 hours``..."""
    if _plain(values):
        label = "hour" if len(values.values) == 1 else "hours"
        return f"during {label} {_join([str(v) for v in values.values])}"
    phrases = []
    for term in values.terms:
        if term.start is not None and term.step is None:
            phrases.append(
                f"hour {term.start}"
                if term.end is None
                else f"hours {term.start} through {term.end}"
            )
        else:
            phrases.append(_unit_term(term, "hour"))
    text = _join(phrases)
    return text if text.startswith("every") else f"during {text}"


# ------------------------------------------------------------------------------------- dates


def _date(fields: CronFields) -> str | None:
    """``on November 11`` for one day of one month, else None."""
    dom, month = fields.day_of_month, fields.month
    if dom is None or fields.last_day_of_month or fields.nearest_weekday:
        return None
    if _plain(dom) and _plain(month) and len(dom.values) == len(month.values) == 1:
        return f"on {_MONTHS[month.values[0] - 1]} {dom.values[0]}"
    return None


def _days(fields: CronFields) -> str | None:
    """The day part, or None for every day."""
    if fields.day_of_week is not None:
        return _days_of_week(fields, fields.day_of_week)
    dom = fields.day_of_month
    assert dom is not None
    if fields.last_day_of_month:
        offset = fields.last_day_offset
        if fields.nearest_weekday:
            if not offset:
                return "on the last weekday of the month"
            return f"on the weekday nearest {_before_last(offset)} of the month"
        return f"{_before_last(offset)} of the month" if offset else "on the last day of the month"
    if fields.nearest_weekday:
        return f"on the weekday nearest day {dom.values[0]} of the month"
    if dom.is_all or dom.values == tuple(range(1, 32)):
        return None
    if _plain(dom):
        label = "day" if len(dom.values) == 1 else "days"
        return f"on {label} {_join([str(v) for v in dom.values])} of the month"
    text = _join([_day_term(term) for term in dom.terms])
    return ("on " if text.startswith("day") else "") + text + " of the month"


def _day_term(term: Term) -> str:
    if term.step is not None or term.start is None:
        return _unit_term(term, "day")
    return f"day {term.start}" if term.end is None else f"days {term.start} through {term.end}"


def _before_last(offset: int) -> str:
    return f"{offset} day{'s' if offset > 1 else ''} before the last day"


def _days_of_week(fields: CronFields, dow: Values) -> str | None:
    day = _DAYS[dow.values[0] - 1]
    if fields.last_day_of_week:
        return f"on the last {day} of the month"
    if fields.nth_day_of_week:
        return f"on the {_ORDINALS[fields.nth_day_of_week - 1]} {day} of the month"
    if len(dow.values) == len(_DAYS):
        return None
    runs = _runs(dow.values, 7)
    if len(runs) == 1 and len(runs[0]) >= 3:
        return f"{_DAYS[runs[0][0] - 1]} through {_DAYS[runs[0][-1] - 1]}"
    return "on " + _join([_DAYS[value - 1] for run in runs for value in run])


def _months(values: Values) -> str | None:
    if values.is_all or len(values.values) == len(_MONTHS):
        return None
    phrases = []
    for run in _runs(values.values, 12):
        if len(run) >= 3:
            phrases.append(f"{_MONTHS[run[0] - 1]} through {_MONTHS[run[-1] - 1]}")
        else:
            phrases.extend(_MONTHS[value - 1] for value in run)
    return "in " + _join(phrases)


def _years(fields: CronFields) -> str | None:
    values = fields.year
    if not fields.year_given or values.is_all:
        return None
    phrases = []
    for term in values.terms:
        if term.step and term.step > 1:
            start = term.start if term.start is not None else "1970"
            until = f" through {term.end}" if term.end is not None else ""
            phrases.append(f"every {term.step} years from {start}{until}")
        elif term.start is None:
            phrases.append("every year")
        elif term.end is None:
            phrases.append(str(term.start))
        else:
            phrases.append(f"{term.start} through {term.end}")
    text = _join(phrases)
    return text if text.startswith("every") else f"in {text}"


# ----------------------------------------------------------------------------------- helpers


def _runs(values: Sequence[int], period: int) -> list[list[int]]:
    """Consecutive values grouped, joining the end of the period to its start (NOV-FEB)."""
    runs: list[list[int]] = []
    for value in values:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][-1] == period:
        runs[0] = runs.pop() + runs[0]
    return runs


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
