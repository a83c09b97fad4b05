"""Job triggers: one row per schedule or trigger of a job, with the scheduler's state.

The rows are the entries :func:`brickyard.spec.trigger_entries.trigger_entries` finds in the
settings (which kind, which configuration, what re-arms is decided there). They are written in
the same transaction as the job's settings (:func:`sync_job_triggers`, called by the job
repository), so a job can never be stored with a schedule the scheduler does not know about.
The trigger service reads the due rows with one indexed range query and advances each with a
compare-and-set on ``due_time``, in the transaction that creates the run: a fire is recorded
exactly when its run is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import Connection, delete, func, insert, select, update

from brickyard.spec.trigger_entries import TriggerEntry, trigger_entries
from brickyard.spec.triggers import TriggerKind
from brickyard.storage._columns import AnyRow, checked_changes
from brickyard.storage.records import JobTriggerRecord
from brickyard.storage.schema import JOB_TRIGGERS

REARM: Final = 0
"""``due_time`` of a trigger whose settings changed: the service re-arms it at its next tick."""

_ADVANCE_FORBIDDEN: Final = frozenset({"job_id", "slot", "kind", "config", "config_hash"})


def sync_job_triggers(
    conn: Connection, job_id: int, settings: Mapping[str, Any], *, version: int, now_ms: int
) -> None:
    """Make the job's trigger rows match its settings (call in the settings' transaction).

    A new or changed trigger is re-armed with fresh state (``last_fire_time`` is kept, so the
    10-second minimum between scheduled runs still holds); pausing clears ``due_time`` and
    resuming re-arms it, so nothing fires for the time spent paused. A continuous trigger is
    re-armed on every settings change: the service restarts its run with the new settings.
    """
    existing = {record.slot: record for record in list_job_triggers(conn, job_id)}
    for entry in trigger_entries(settings):
        old = existing.pop(entry.slot, None)
        if old is None or old.kind != entry.kind:
            if old is not None:
                _delete_slot(conn, job_id, entry.slot)
            conn.execute(
                insert(JOB_TRIGGERS).values(
                    job_id=job_id,
                    slot=entry.slot,
                    kind=entry.kind.value,
                    config=entry.config,
                    config_hash=entry.config_hash,
                    paused=entry.paused,
                    settings_version=version,
                    due_time=_armed_due_time(entry),
                    last_fire_time=None,
                    state={},
                    updated_time=now_ms,
                )
            )
            continue
        changes: dict[str, Any] = {"settings_version": version, "updated_time": now_ms}
        if old.config_hash != entry.config_hash:
            changes |= {"config": entry.config, "config_hash": entry.config_hash, "state": {}}
        if entry.rearms(config_hash=old.config_hash, paused=old.paused):
            changes |= {"paused": entry.paused, "due_time": _armed_due_time(entry)}
        conn.execute(
            update(JOB_TRIGGERS)
            .where(JOB_TRIGGERS.c.job_id == job_id, JOB_TRIGGERS.c.slot == entry.slot)
            .values(changes)
        )
    for slot in existing:
        _delete_slot(conn, job_id, slot)


def delete_job_triggers(conn: Connection, job_id: int) -> None:
    """Forget every trigger of the job (it is being deleted)."""
    conn.execute(delete(JOB_TRIGGERS).where(JOB_TRIGGERS.c.job_id == job_id))


def list_job_triggers(conn: Connection, job_id: int) -> list[JobTriggerRecord]:
    """The job's triggers by slot."""
    stmt = select(JOB_TRIGGERS).where(JOB_TRIGGERS.c.job_id == job_id).order_by(JOB_TRIGGERS.c.slot)
    return [_record(row) for row in conn.execute(stmt)]


def list_due_triggers(
    conn: Connection, now_ms: int, *, limit: int = 1000
) -> list[JobTriggerRecord]:
    """Triggers whose ``due_time`` has come (re-armed ones first), oldest due first."""
    stmt = (
        select(JOB_TRIGGERS)
        .where(JOB_TRIGGERS.c.due_time <= now_ms)
        .order_by(JOB_TRIGGERS.c.due_time, JOB_TRIGGERS.c.job_id, JOB_TRIGGERS.c.slot)
        .limit(limit)
    )
    return [_record(row) for row in conn.execute(stmt)]


def next_due_time(conn: Connection) -> int | None:
    """The earliest ``due_time`` of any trigger, or None when nothing is due ever."""
    value = conn.execute(select(func.min(JOB_TRIGGERS.c.due_time))).scalar_one()
    return None if value is None else int(value)


def count_active_triggers(conn: Connection) -> dict[str, int]:
    """How many unpaused triggers of each kind exist."""
    stmt = (
        select(JOB_TRIGGERS.c.kind, func.count())
        .where(JOB_TRIGGERS.c.paused.is_(False))
        .group_by(JOB_TRIGGERS.c.kind)
    )
    return {row[0]: int(row[1]) for row in conn.execute(stmt)}


def advance_trigger(
    conn: Connection, job_id: int, slot: int, *, expected_due_time: int | None, **changes: Any
) -> bool:
    """Set ``changes`` on a trigger if its ``due_time`` is still ``expected_due_time``.

    The compare-and-set is what makes a tick idempotent and safe with several schedulers: of
    two that read the same due row, only the first to commit advances it (and creates its
    run); the other updates nothing and returns False.
    """
    values = checked_changes(
        JOB_TRIGGERS, changes, forbidden=_ADVANCE_FORBIDDEN, caller="advance_trigger"
    )
    due = JOB_TRIGGERS.c.due_time
    stmt = (
        update(JOB_TRIGGERS)
        .where(
            JOB_TRIGGERS.c.job_id == job_id,
            JOB_TRIGGERS.c.slot == slot,
            due.is_(None) if expected_due_time is None else due == expected_due_time,
        )
        .values(values)
    )
    return conn.execute(stmt).rowcount == 1


def _armed_due_time(entry: TriggerEntry) -> int | None:
    return REARM if entry.armed else None


def _delete_slot(conn: Connection, job_id: int, slot: int) -> None:
    conn.execute(
        delete(JOB_TRIGGERS).where(JOB_TRIGGERS.c.job_id == job_id, JOB_TRIGGERS.c.slot == slot)
    )


def _record(row: AnyRow) -> JobTriggerRecord:
    return JobTriggerRecord(
        job_id=row.job_id,
        slot=row.slot,
        kind=TriggerKind(row.kind),
        config=row.config,
        config_hash=row.config_hash,
        paused=bool(row.paused),
        settings_version=row.settings_version,
        due_time=row.due_time,
        last_fire_time=row.last_fire_time,
        state=row.state,
        updated_time=row.updated_time,
    )
