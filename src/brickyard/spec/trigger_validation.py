"""The rules of a job's schedules and triggers beyond their field types: which may be set
together, and whether each can run (a Quartz expression, a Java time-zone id, a location to
watch), so that a job that cannot fire is refused when it is saved.

:func:`parse_job_settings <brickyard.spec.validation.parse_job_settings>` runs both, so every
writer of job settings (API, CLI, job files) gets them. They stay cheap because stored settings
are parsed again for every run: cron expressions and time zones are parsed once per process
(cached), and fsspec imports and keeps a location's filesystem class the first time only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import fsspec

from brickyard.cron import java_timezone, parse_cron
from brickyard.errors import InvalidInputError, Problem
from brickyard.spec.job import JobSettings
from brickyard.spec.triggers import (
    CronSchedule,
    FileArrivalTriggerConfiguration,
    ScheduleTriggerConfiguration,
)

_DBFS: Final = "dbfs:"
_FILE: Final = "file:"


def combination_problems(raw: Mapping[str, Any]) -> list[Problem]:
    """What raw job settings combine that cannot go together: ``schedule`` with
    ``continuous``, or ``triggers`` with any of ``schedule``, ``trigger``, ``continuous``."""
    problems: list[Problem] = []
    if raw.get("schedule") is not None and raw.get("continuous") is not None:
        problems.append(Problem("continuous", "schedule and continuous cannot both be set"))
    if raw.get("triggers"):
        legacy = [
            name for name in ("schedule", "trigger", "continuous") if raw.get(name) is not None
        ]
        if legacy:
            problems.append(
                Problem("triggers", f"triggers cannot be combined with {', '.join(legacy)}")
            )
    return problems


def runnable_problems(settings: JobSettings) -> list[Problem]:
    """Every schedule or trigger of valid settings that cannot run, with its field path:
    ``schedule.quartz_cron_expression``, ``triggers[0].schedule.timezone_id``,
    ``trigger.file_arrival.url``..."""
    schedules: list[tuple[str, CronSchedule | ScheduleTriggerConfiguration]] = (
        [("schedule", settings.schedule)] if settings.schedule else []
    )
    arrivals: list[tuple[str, FileArrivalTriggerConfiguration]] = []
    if settings.trigger and settings.trigger.file_arrival:
        arrivals.append(("trigger.file_arrival", settings.trigger.file_arrival))
    for index, entry in enumerate(settings.triggers or []):
        if entry.schedule:
            schedules.append((f"triggers[{index}].schedule", entry.schedule))
        if entry.file_arrival:
            arrivals.append((f"triggers[{index}].file_arrival", entry.file_arrival))
    problems: list[Problem] = []
    for path, schedule in schedules:
        problems.extend(
            _check(f"{path}.quartz_cron_expression", parse_cron, schedule.quartz_cron_expression)
        )
        problems.extend(_check(f"{path}.timezone_id", java_timezone, schedule.timezone_id))
    for path, arrival in arrivals:
        problems.extend(_check(f"{path}.url", check_location, arrival.url))
    return problems


def check_location(url: str) -> None:
    """Raise InvalidInputError unless ``url`` is a location brickyard can watch: an absolute
    path, a ``/Volumes/`` path, ``dbfs:/``, ``file:``, or a URL whose scheme has an fsspec
    filesystem installed."""
    text = url.strip()
    if text.lower().startswith((_DBFS, _FILE)) or text.startswith("/"):
        return
    scheme, separator, _ = text.partition("://")
    if not separator:
        raise InvalidInputError(
            f"{url!r} is not a location: use an absolute path, a /Volumes/ path, dbfs:/ or "
            "a URL such as s3://bucket/prefix/"
        )
    try:
        fsspec.get_filesystem_class(scheme)
    except (ImportError, ValueError) as error:
        raise InvalidInputError(f"{url!r}: {error}") from None


def _check(path: str, check: Callable[[str], object], value: str) -> Iterator[Problem]:
    try:
        check(value)
    except InvalidInputError as error:
        # a message that names the field itself would name it twice
        field = path.rsplit(".", 1)[-1]
        yield Problem(path, str(error).removeprefix(f"{field}: "))
