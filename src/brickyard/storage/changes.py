"""Typed column changes that ride along with a life-cycle transition.

A transition sets the state columns itself (:mod:`brickyard.storage._transitions`); what else
the same UPDATE sets is one of these frozen dataclasses, so mypy checks every name and type
and a state column cannot be named at all. :meth:`columns` is the one place they become
column values. A field left at :data:`KEEP` is not written; ``None`` writes NULL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Literal, TypeAlias


class Keep(Enum):
    """The marker of a column a change leaves as it is."""

    KEEP = "keep"
    """Do not write this column."""


KEEP: Final = Keep.KEEP
"""Leave the column as it is (``None`` would write NULL)."""

Kept: TypeAlias = Literal[Keep.KEEP]


def _columns(changes: object) -> dict[str, Any]:
    return {name: value for name, value in vars(changes).items() if value is not KEEP}


@dataclass(frozen=True)
class TaskRunChanges:
    """Non-state columns of a task run that a transition also sets."""

    start_time: int | Kept = KEEP
    """Entering RUNNING sets it to the transition time unless given here."""
    execution_duration: int | Kept = KEEP
    pid: int | Kept | None = KEEP
    process_start: int | Kept | None = KEEP
    task_dir: str | Kept | None = KEEP
    resolved_values: Mapping[str, Any] | Kept | None = KEEP
    condition_outcome: str | Kept | None = KEEP
    exit_value: str | Kept | None = KEEP
    exit_value_truncated: bool | Kept = KEEP
    error: str | Kept | None = KEEP
    error_trace: str | Kept | None = KEEP
    error_code: str | Kept | None = KEEP
    logs: str | Kept | None = KEEP
    logs_truncated: bool | Kept = KEEP

    def columns(self) -> dict[str, Any]:
        """The columns to set, by name (fields left at KEEP are absent)."""
        return _columns(self)


NO_TASK_RUN_CHANGES: Final = TaskRunChanges()
"""A transition that sets nothing but the state columns."""


@dataclass(frozen=True)
class RunChanges:
    """Non-state columns of a job run that a transition also sets."""

    queue_duration: int | Kept = KEEP
    queue_reason: str | Kept | None = KEEP
    cancel_requested: bool | Kept = KEEP
    settings: Mapping[str, Any] | Kept = KEEP
    repair_count: int | Kept = KEEP
    latest_repair_id: int | Kept | None = KEEP
    owner: str | Kept | None = KEEP
    lease_expires_at: int | Kept | None = KEEP
    job_parameters: Sequence[Mapping[str, Any]] | Kept = KEEP
    overriding_parameters: Mapping[str, Any] | Kept = KEEP

    def columns(self) -> dict[str, Any]:
        """The columns to set, by name (fields left at KEEP are absent)."""
        return _columns(self)


NO_RUN_CHANGES: Final = RunChanges()
"""A transition that sets nothing but the state columns."""
