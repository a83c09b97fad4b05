"""Corrected expressions to propose in error messages: the Quartz form of a 5-field Unix
expression, ``?`` in the right day field, a three-letter name for a spelled-out one.

Every function returns a candidate string (or None); the parser checks a candidate parses
before it offers it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from brickyard.cron.fields import DAY_NAMES, MONTH_NAMES

_FREE = ("*", "?")


def replace_field(tokens: Sequence[str], index: int, value: str) -> str:
    """The expression with field ``index`` replaced, fields separated by single spaces."""
    return " ".join(value if i == index else token for i, token in enumerate(tokens))


def quartz_from_unix(tokens: Sequence[str]) -> str | None:
    """``minute hour day-of-month month day-of-week`` (Unix cron) as a Quartz expression.

    Unix fires when EITHER day field matches if both are restricted; Quartz cannot say that,
    so there is no candidate then. Unix numbers days of the week 0-7 (0 and 7 are Sunday),
    Quartz 1-7 from Sunday.
    """
    minute, hour, dom, month, dow = tokens
    if dom not in _FREE and dow not in _FREE:
        return None
    if dow in _FREE:
        quartz_dom, quartz_dow = ("*" if dom == "?" else dom), "?"
    else:
        converted = _quartz_day_of_week(dow)
        if converted is None:
            return None
        quartz_dom, quartz_dow = "?", converted
    return " ".join(["0", minute, hour, quartz_dom, month, quartz_dow])


def _quartz_day_of_week(unix: str) -> str | None:
    items = []
    for item in unix.split(","):
        base, slash, step = item.partition("/")
        if base == "*":
            # Unix */n starts at Sunday (0) and Quartz */n at Sunday (1): the same days.
            items.append(item)
            continue
        start, dash, end = base.partition("-")
        if slash and not dash:
            return None  # Unix a/n runs to 7 (Sunday again); no faithful one-term translation
        converted = [_quartz_day(part) for part in ((start, end) if dash else (start,))]
        if any(part is None for part in converted):
            return None
        items.append("-".join(str(part) for part in converted) + (f"/{step}" if slash else ""))
    return ",".join(items)


def _quartz_day(unix: str) -> str | None:
    if unix.upper() in DAY_NAMES:
        return unix
    if unix.isdigit() and int(unix) <= 7:
        return str(int(unix) % 7 + 1)
    return None


def name_prefix(text: str, names: tuple[str, ...]) -> str | None:
    """``MON`` for ``MONDAY``, ``JAN`` for ``January``: a spelled-out name's three letters."""
    prefix = text[:3].upper()
    return prefix if len(text) > 3 and prefix in names and text.isalpha() else None


def shorten_names(token: str, names: tuple[str, ...]) -> str:
    """``token`` with every spelled-out name cut to its three letters (``MON-FRI`` for
    ``Monday-Friday``)."""
    return re.sub(
        r"[A-Za-z]+", lambda word: name_prefix(word.group(), names) or word.group(), token
    )


def other_kind_of_name(text: str, names: tuple[str, ...]) -> str | None:
    """``"a month"`` when a day field got ``JAN``, ``"a day of the week"`` for ``MON`` in months."""
    upper = text.upper()
    if upper in MONTH_NAMES and names != MONTH_NAMES:
        return "a month"
    if upper in DAY_NAMES and names != DAY_NAMES:
        return "a day of the week"
    return None
