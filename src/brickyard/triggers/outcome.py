"""What evaluating one trigger decides: the runs to start, when to look again, the new state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from brickyard.states import TriggerType


@dataclass(frozen=True)
class Fire:
    """One run to start."""

    trigger: TriggerType
    trigger_time_ms: int
    """The scheduled time for schedules (``{{job.trigger.time.*}}``), else when it fired."""
    file_arrival_location: str | None = None


@dataclass(frozen=True)
class Outcome:
    """The result of evaluating a due trigger at ``now``.

    ``state`` None keeps the stored state; ``last_fire_time`` None keeps the stored one.
    """

    due_time: int | None
    """When to evaluate the trigger next (epoch ms), or None for never (until its settings
    change)."""
    fires: tuple[Fire, ...] = ()
    state: dict[str, Any] | None = None
    last_fire_time: int | None = None
    cancel_run_ids: tuple[int, ...] = field(default=())
    """Runs to cancel (a continuous job restarting with new settings, or paused)."""
    remember_run_as: str | None = None
    """A state key under which the id of the (single) run started is stored."""
