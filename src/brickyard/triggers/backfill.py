"""Backfills: the intervals of a job's schedule in a time range, and one run request for each.

A backfill (databricks-semantics §1.19) runs a scheduled job once per interval of a range, for
the intervals its schedule missed or must redo. The intervals are the times the schedule itself
would have fired in the half-open range ``[from, to)``:

- a cron ``schedule`` (or, without one, the first ``triggers[]`` schedule): its Quartz fire
  times in its ``timezone_id``, with Quartz's own DST behaviour (a daily 02:00 in Europe/Paris
  does not fire on the spring-forward day) and Databricks' 10-second minimum between scheduled
  runs, exactly as :mod:`brickyard.triggers.schedule` fires them;
- a ``trigger.periodic`` (or a ``triggers[]`` periodic entry): ``from``, ``from + period``, ...

Each interval becomes a ONE_TIME run whose ``{{backfill.*}}`` references resolve to the
interval's start. The runs are queued (whatever the job's ``queue`` setting says) so they go
through the job's ``max_concurrent_runs`` oldest first instead of being skipped. Everything
here is pure: the caller creates the requests in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from brickyard import storage
from brickyard.cron import CronExpression, java_timezone, parse_cron
from brickyard.engine import RunRequest
from brickyard.errors import InvalidInputError
from brickyard.params import RunOverrides
from brickyard.spec.trigger_entries import trigger_entries
from brickyard.spec.triggers import TriggerKind
from brickyard.states import TriggerType
from brickyard.triggers.periodic import period_ms
from brickyard.triggers.schedule import next_fire_ms

MAX_INTERVALS: Final = 1000
"""The most runs one backfill creates."""

COUNT_LIMIT: Final = 25_000
"""Where counting the cron fire times of a too-large range stops (the message then says
"more than"): each costs tens of microseconds, and the count only tells people how far over
they are."""

_LATEST_MS: Final = 253_370_764_800_000
"""9999-01-01T00:00Z: later times could not be shown in every zone."""


@dataclass(frozen=True)
class BackfillSchedule:
    """What splits a backfill's range into intervals: a cron expression or a period."""

    description: str
    """For people: ``cron 0 0 2 * * ? Europe/Paris`` or ``every 2 HOURS``."""
    zone: tzinfo
    """The schedule's time zone (UTC for periodic triggers): naive times are read in it."""
    expression: CronExpression | None = None
    period_ms: int | None = None

    def starts(self, from_ms: int, to_ms: int, *, limit: int) -> list[int]:
        """The interval starts in ``[from_ms, to_ms)``, oldest first, at most ``limit + 1``
        of them (one more than allowed tells the caller the range is too large)."""
        if self.period_ms is not None:
            count = min(self.count(from_ms, to_ms), limit + 1)
            return [from_ms + index * self.period_ms for index in range(count)]
        return self._fires(from_ms, to_ms, limit + 1)

    def count(self, from_ms: int, to_ms: int) -> int:
        """How many intervals ``[from_ms, to_ms)`` holds (exact for a period; counting cron
        fire times stops at COUNT_LIMIT + 1)."""
        if to_ms <= from_ms:
            return 0
        if self.period_ms is not None:
            return -(-(to_ms - from_ms) // self.period_ms)
        return len(self._fires(from_ms, to_ms, COUNT_LIMIT + 1))

    def _fires(self, from_ms: int, to_ms: int, most: int) -> list[int]:
        fires: list[int] = []
        if self.expression is None:
            return fires
        # from_ms - 1: a fire time exactly at ``from`` belongs to the range
        fire = next_fire_ms(self.expression, self.zone, from_ms - 1, None)
        while fire is not None and fire < to_ms and len(fires) < most:
            fires.append(fire)
            fire = next_fire_ms(self.expression, self.zone, fire, fire)
        return fires


def backfill_schedule(settings: Mapping[str, Any]) -> BackfillSchedule | None:
    """The schedule a backfill of a job with these (stored) settings follows, if it has one:
    ``schedule``, else the first ``triggers[]`` schedule, else a periodic trigger."""
    entries = trigger_entries(settings)
    cron = next((e.config for e in entries if e.kind is TriggerKind.SCHEDULE), None)
    if cron is not None:
        text = str(cron.get("quartz_cron_expression", ""))
        timezone_id = str(cron.get("timezone_id", "UTC"))
        return BackfillSchedule(
            description=f"cron {text} {timezone_id}",
            zone=java_timezone(timezone_id),
            expression=parse_cron(text),
        )
    periodic = next((e.config for e in entries if e.kind is TriggerKind.PERIODIC), None)
    if periodic is not None:
        return BackfillSchedule(
            description=f"every {periodic.get('interval', 1)} {periodic.get('unit', 'HOURS')}",
            zone=UTC,
            period_ms=period_ms(periodic),
        )
    return None


def parse_time(text: str, zone: tzinfo, *, name: str) -> int:
    """An ISO-8601 date or date-time as epoch milliseconds; a naive one is read in ``zone``
    (a wall-clock time a DST change repeats is its first occurrence)."""
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        ms = round(moment.timestamp() * 1000)
    except (ValueError, OverflowError):  # not ISO, or a year at the edge of the calendar
        raise InvalidInputError(
            f"{name}: {text!r} is not an ISO-8601 date or date-time "
            "(e.g. 2024-03-01, 2024-03-01T02:00 or 2024-03-01T02:00:00+01:00)"
        ) from None
    if not 0 <= ms < _LATEST_MS:
        raise InvalidInputError(f"{name}: {text!r} is not between 1970 and 9998")
    return ms


def format_time(ms: int, zone: tzinfo) -> str:
    """Epoch milliseconds as ISO-8601 with the offset of ``zone`` at that time."""
    moment = datetime.fromtimestamp(ms / 1000, tz=zone)
    return moment.isoformat(timespec="seconds" if ms % 1000 == 0 else "milliseconds")


@dataclass(frozen=True)
class BackfillPlan:
    """A checked backfill: the job, its schedule, the range and the interval starts."""

    job: storage.JobRecord
    schedule: BackfillSchedule
    from_ms: int
    to_ms: int
    starts: tuple[int, ...]
    job_parameters: Mapping[str, str] = field(default_factory=dict)

    @property
    def max_concurrent_runs(self) -> int:
        """How many of the runs may be active at once (the job's limit, default 1)."""
        value = self.job.settings.get("max_concurrent_runs")
        return 1 if value is None else int(value)

    def requests(self) -> list[RunRequest]:
        """One queued ONE_TIME run per interval, oldest first, with ``{{backfill.*}}`` = the
        interval start and the ``--param`` overrides."""
        overrides = RunOverrides(job_parameters=dict(self.job_parameters) or None)
        return [
            RunRequest.for_job(
                self.job,
                trigger=TriggerType.ONE_TIME,
                backfill_time_ms=start,
                queue_enabled=True,
                overrides=overrides,
            )
            for start in self.starts
        ]


def plan_backfill(
    job: storage.JobRecord,
    *,
    from_ms: int,
    to_ms: int,
    job_parameters: Mapping[str, str] | None = None,
    schedule: BackfillSchedule | None = None,
    limit: int = MAX_INTERVALS,
) -> BackfillPlan:
    """Check a backfill of ``job`` over ``[from_ms, to_ms)`` and find its intervals.

    Raises InvalidInputError when the job has no schedule or periodic trigger, the range is
    empty, it holds more than ``limit`` intervals, or a parameter is not one the job defines.
    """
    schedule = schedule or require_schedule(job)
    if from_ms >= to_ms:
        raise InvalidInputError(
            f"--from {format_time(from_ms, schedule.zone)} is not before "
            f"--to {format_time(to_ms, schedule.zone)}"
        )
    params = dict(job_parameters or {})
    _check_parameters(job, params)
    starts = schedule.starts(from_ms, to_ms, limit=limit)
    if len(starts) > limit:
        count = schedule.count(from_ms, to_ms)
        capped = schedule.expression is not None and count > COUNT_LIMIT
        amount = f"more than {COUNT_LIMIT:,}" if capped else f"{count:,}"
        raise InvalidInputError(
            f"the range holds {amount} intervals of {schedule.description}, more than the "
            f"{limit:,} runs one backfill may create: narrow --from/--to"
        )
    return BackfillPlan(
        job=job,
        schedule=schedule,
        from_ms=from_ms,
        to_ms=to_ms,
        starts=tuple(starts),
        job_parameters=params,
    )


def require_schedule(job: storage.JobRecord) -> BackfillSchedule:
    """The job's backfill schedule; InvalidInputError when it has none."""
    schedule = backfill_schedule(job.settings)
    if schedule is None:
        raise InvalidInputError(
            f"job {job.job_id} {job.name!r} has no schedule or periodic trigger: a backfill "
            "needs one to split the range into intervals"
        )
    return schedule


def _check_parameters(job: storage.JobRecord, params: Mapping[str, str]) -> None:
    # The run's own check would catch it too, but only once the first run is being created;
    # saying so here names the option and keeps a dry run honest.
    defined: Sequence[str] = [
        str(p.get("name")) for p in job.settings.get("parameters") or [] if isinstance(p, Mapping)
    ]
    for name in params:
        if name not in defined:
            known = f"defined: {', '.join(defined)}" if defined else "it defines no parameters"
            raise InvalidInputError(
                f"--param {name!r}: not a parameter of job {job.job_id} {job.name!r} ({known})"
            )
