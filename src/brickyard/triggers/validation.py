"""Checks of a job's schedules and triggers that need the trigger code itself: Quartz
expressions, Java time-zone ids and watched locations. The API and the CLI run them after the
settings' own validation, so a job that cannot fire is refused when it is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from brickyard.cron import java_timezone, parse_cron
from brickyard.errors import InvalidInputError, JobValidationError, Problem
from brickyard.spec import JobSettings
from brickyard.spec.triggers import (
    CronSchedule,
    FileArrivalTriggerConfiguration,
    ScheduleTriggerConfiguration,
)
from brickyard.triggers.file_arrival import check_location


def check_triggers(settings: JobSettings, source: str | None = None) -> None:
    """Raise JobValidationError listing every schedule or trigger that cannot run."""
    problems = list(_problems(settings))
    if problems:
        raise JobValidationError(problems, source)


def _problems(settings: JobSettings) -> Iterator[Problem]:
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
    for path, schedule in schedules:
        yield from _check(
            f"{path}.quartz_cron_expression", parse_cron, schedule.quartz_cron_expression
        )
        yield from _check(f"{path}.timezone_id", java_timezone, schedule.timezone_id)
    for path, arrival in arrivals:
        yield from _check(f"{path}.url", check_location, arrival.url)


def _check(path: str, check: Callable[[str], object], value: str) -> Iterator[Problem]:
    try:
        check(value)
    except InvalidInputError as error:
        # a message that names the field itself would name it twice
        field = path.rsplit(".", 1)[-1]
        yield Problem(path, str(error).removeprefix(f"{field}: "))
