"""Cron schedules: when the next run fires, and which one a tick starts.

A re-armed schedule (new, changed or resumed) fires first at its next fire time strictly after
``now``: nothing fires for the past. A due schedule starts ONE run, for the latest fire time
that has passed (a fire missed while the server was down runs once when it comes back, with no
backlog, as Databricks does), and ``{{job.trigger.time.*}}`` is that scheduled time. Databricks
enforces at least 10 seconds between a job's scheduled runs whatever the seconds field says,
so fire times closer than that to the previous run are passed over.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Final

from brickyard import storage
from brickyard.cron import CronExpression, java_timezone, parse_cron
from brickyard.states import TriggerType
from brickyard.triggers.outcome import Fire, Outcome

MIN_SECONDS_BETWEEN_RUNS: Final = 10
"""Databricks' minimum gap between two scheduled runs of a job."""

_MIN_GAP_MS: Final = MIN_SECONDS_BETWEEN_RUNS * 1000

# Look-back windows for the latest missed fire time: the smallest window that holds a fire
# bounds the walk forward to the fires inside it, whatever the outage lasted.
_LOOK_BACK_MS: Final = (60_000, 3_600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000)


def evaluate_schedule(record: storage.JobTriggerRecord, now_ms: int) -> Outcome:
    """Arm or fire a ``schedule`` trigger (``quartz_cron_expression`` in ``timezone_id``)."""
    expression = parse_cron(str(record.config.get("quartz_cron_expression", "")))
    zone = java_timezone(str(record.config.get("timezone_id", "UTC")))
    due = record.due_time
    if due is None or due == storage.REARM or due > now_ms:
        return Outcome(due_time=next_fire_ms(expression, zone, now_ms, record.last_fire_time))
    scheduled = latest_fire_ms(expression, zone, due, now_ms)
    return Outcome(
        due_time=next_fire_ms(expression, zone, now_ms, scheduled),
        fires=(Fire(TriggerType.PERIODIC, scheduled),),
        last_fire_time=scheduled,
    )


def next_fire_ms(
    expression: CronExpression, zone: tzinfo, after_ms: int, last_fire_ms: int | None
) -> int | None:
    """The first fire time strictly after ``after_ms`` and at least 10 s after the last fire."""
    floor = after_ms if last_fire_ms is None else max(after_ms, last_fire_ms + _MIN_GAP_MS - 1)
    return expression.next_after_ms(floor, zone)


def latest_fire_ms(expression: CronExpression, zone: tzinfo, first_ms: int, now_ms: int) -> int:
    """The latest fire time in ``[first_ms, now_ms]``, given that ``first_ms`` is one."""
    for window in _LOOK_BACK_MS:
        start = max(first_ms - 1, now_ms - window)
        latest = expression.next_after_ms(start, zone)
        if latest is not None and latest <= now_ms:
            while (following := expression.next_after_ms(latest, zone)) is not None:
                if following > now_ms:
                    break
                latest = following
            return latest
    return first_ms
