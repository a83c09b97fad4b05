"""Java time-zone ids (``schedule.timezone_id``) as Python time zones.

Databricks evaluates a schedule in a ``java.util.TimeZone``. Its ids are the IANA ones (served
here by :mod:`zoneinfo`), Java's custom offsets ``GMT+5``, ``GMT+05:00``, ``GMT-0830``, and
Java's old three-letter aliases (``PST``, ``ECT``, ...). Java silently falls back to GMT for an id
it does not know; brickyard refuses it instead, and also accepts ``UTC+01:00`` and ``Z``.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache, lru_cache
from typing import Final

from brickyard.errors import InvalidInputError

_CUSTOM: Final = re.compile(r"(?:GMT|UTC)([+-])([0-9]{1,2})(?::([0-9]{2})|([0-9]{2}))?")
_MAX_HOURS: Final = 23
_MAX_MINUTES: Final = 59

# java.time.ZoneId.SHORT_IDS, which java.util.TimeZone also resolves (EST, MST and HST are
# fixed offsets there, not the US zones).
_SHORT_IDS: Final = {
    "ACT": "Australia/Darwin",
    "AET": "Australia/Sydney",
    "AGT": "America/Argentina/Buenos_Aires",
    "ART": "Africa/Cairo",
    "AST": "America/Anchorage",
    "BET": "America/Sao_Paulo",
    "BST": "Asia/Dhaka",
    "CAT": "Africa/Harare",
    "CNT": "America/St_Johns",
    "CST": "America/Chicago",
    "CTT": "Asia/Shanghai",
    "EAT": "Africa/Addis_Ababa",
    "ECT": "Europe/Paris",
    "IET": "America/Indiana/Indianapolis",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
    "MIT": "Pacific/Apia",
    "NET": "Asia/Yerevan",
    "NST": "Pacific/Auckland",
    "PLT": "Asia/Karachi",
    "PNT": "America/Phoenix",
    "PRT": "America/Puerto_Rico",
    "PST": "America/Los_Angeles",
    "SST": "Pacific/Guadalcanal",
    "VST": "Asia/Ho_Chi_Minh",
}
_FIXED_SHORT_IDS: Final = {"EST": -5, "MST": -7, "HST": -10}


@lru_cache(maxsize=256)
def java_timezone(timezone_id: str) -> dt.tzinfo:
    """The zone Java's ``TimeZone.getTimeZone(timezone_id)`` means; InvalidInputError for an id
    Java does not know (Java would quietly use GMT)."""
    if timezone_id == "Z":
        return dt.UTC
    custom = _CUSTOM.fullmatch(timezone_id)
    if custom is not None:
        return _fixed_offset(timezone_id, custom)
    if timezone_id in _FIXED_SHORT_IDS:
        hours = _FIXED_SHORT_IDS[timezone_id]
        return dt.timezone(dt.timedelta(hours=hours), timezone_id)
    key = _SHORT_IDS.get(timezone_id, timezone_id)
    try:
        return zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    hint = _case_insensitive_match(timezone_id)
    example = (
        f"did you mean '{hint}'?" if hint else "use a Java/IANA id such as 'Europe/Paris' or 'UTC'"
    )
    raise InvalidInputError(f"timezone_id: {timezone_id!r} is not a known time zone ({example})")


def _fixed_offset(timezone_id: str, match: re.Match[str]) -> dt.tzinfo:
    sign, hours_text, colon_minutes, minutes = match.groups()
    hours = int(hours_text)
    minutes_value = int(colon_minutes or minutes or 0)
    if hours > _MAX_HOURS or minutes_value > _MAX_MINUTES:
        raise InvalidInputError(
            f"timezone_id: {timezone_id!r} is not a valid offset (hours 0-23, minutes 0-59)"
        )
    offset = dt.timedelta(hours=hours, minutes=minutes_value) * (-1 if sign == "-" else 1)
    # Java names custom zones GMT+hh:mm whatever the spelling.
    name = f"GMT{sign}{hours:02d}:{minutes_value:02d}"
    return dt.timezone(offset, name)


def _case_insensitive_match(timezone_id: str) -> str | None:
    lowered = timezone_id.strip().lower()
    return _zone_names_by_lower_case().get(lowered) if lowered else None


@cache
def _zone_names_by_lower_case() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}
