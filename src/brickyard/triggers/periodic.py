"""Periodic triggers: every ``interval`` MINUTES, HOURS, DAYS or WEEKS.

The first run fires one interval after the trigger is set up (or resumed), then every interval
after that, keeping the phase of the last run. A due trigger starts one run for the latest
interval that has passed, like a schedule: an outage does not queue up a backlog.
"""

from __future__ import annotations

from typing import Final

from brickyard import storage
from brickyard.states import TriggerType
from brickyard.triggers.outcome import Fire, Outcome

UNIT_MS: Final = {
    "MINUTES": 60_000,
    "HOURS": 3_600_000,
    "DAYS": 86_400_000,
    "WEEKS": 7 * 86_400_000,
}


def period_ms(config: dict[str, object]) -> int:
    """The trigger's period in milliseconds."""
    interval = int(str(config.get("interval", 1)))
    return max(1, interval) * UNIT_MS[str(config.get("unit", "HOURS"))]


def evaluate_periodic(record: storage.JobTriggerRecord, now_ms: int) -> Outcome:
    """Arm or fire a ``periodic`` trigger."""
    period = period_ms(record.config)
    due = record.due_time
    if due is None or due == storage.REARM or due > now_ms:
        last = record.last_fire_time
        if last is None:
            return Outcome(due_time=now_ms + period)
        # keep the phase of the last run: its first slot after now
        return Outcome(due_time=last + ((now_ms - last) // period + 1) * period)
    scheduled = due + (now_ms - due) // period * period
    return Outcome(
        due_time=scheduled + period,
        fires=(Fire(TriggerType.PERIODIC, scheduled),),
        last_fire_time=scheduled,
    )
