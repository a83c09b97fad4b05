"""Job triggers: one row per schedule or trigger of a job, with the scheduler's state.

The rows are written in the same transaction as the job's settings
(:func:`sync_job_triggers`, called by the job repository), so a job can never be stored with
a schedule the scheduler does not know about. The trigger service reads the due rows with one
indexed range query and advances each with a compare-and-set on ``due_time``, in the
transaction that creates the run: a fire is recorded exactly when its run is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson
from sqlalchemy import Connection, delete, func, insert, select, update

from brickyard.spec.update import PAUSED, pausable_entries
from brickyard.storage._columns import AnyRow, checked_changes
from brickyard.storage.records import JobTriggerRecord
from brickyard.storage.schema import JOB_TRIGGERS

REARM: Final = 0
"""``due_time`` of a trigger whose settings changed: the service re-arms it at its next tick."""

TRIGGER_KINDS: Final = ("file_arrival", "periodic", "table_update", "job_completion", "model")
"""The kinds a ``trigger`` object (or a ``triggers[]`` entry) holds one of."""

_TABLE_ALIAS: Final = "table"
"""The deprecated spelling of ``table_update`` that older SDKs send."""

_ADVANCE_FORBIDDEN: Final = frozenset({"job_id", "slot", "kind", "config", "config_hash"})


@dataclass(frozen=True)
class TriggerEntry:
    """One schedule or trigger found in a job's settings."""

    slot: int
    kind: str
    """``schedule``, ``continuous``, or one of :data:`TRIGGER_KINDS`."""
    config: dict[str, Any]
    paused: bool

    @property
    def config_hash(self) -> str:
        """Identifies the configuration: a change of it resets the trigger's state."""
        payload = orjson.dumps(
            {"kind": self.kind, "config": self.config}, option=orjson.OPT_SORT_KEYS
        )
        return hashlib.sha256(payload).hexdigest()


def trigger_entries(settings: Mapping[str, Any]) -> list[TriggerEntry]:
    """The schedules and triggers of stored job settings: ``schedule``, ``trigger``,
    ``continuous`` and each ``triggers[]`` entry, in that order (the order gives the slots)."""
    found: list[tuple[str, dict[str, Any], bool]] = []
    for path, entry in pausable_entries(settings):
        paused = entry.get("pause_status") == PAUSED
        if path in ("schedule", "continuous"):
            found.append((path, _without_pause(entry), paused))
            continue
        # a triggers[] entry may also hold a schedule or continuous mode
        extra = ("schedule", "continuous") if path.startswith("triggers[") else ()
        kind, config = _trigger_kind(entry, extra)
        if kind is not None:
            found.append((kind, config, paused))
    return [
        TriggerEntry(slot=slot, kind=kind, config=config, paused=paused)
        for slot, (kind, config, paused) in enumerate(found)
    ]


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
                    kind=entry.kind,
                    config=entry.config,
                    config_hash=entry.config_hash,
                    paused=entry.paused,
                    settings_version=version,
                    due_time=_armed_due_time(entry.kind, entry.paused),
                    last_fire_time=None,
                    state={},
                    updated_time=now_ms,
                )
            )
            continue
        changes: dict[str, Any] = {"settings_version": version, "updated_time": now_ms}
        if old.config_hash != entry.config_hash:
            changes |= {"config": entry.config, "config_hash": entry.config_hash, "state": {}}
        if changes.keys() & {"config"} or old.paused != entry.paused or entry.kind == "continuous":
            changes |= {
                "paused": entry.paused,
                "due_time": _armed_due_time(entry.kind, entry.paused),
            }
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


def _armed_due_time(kind: str, paused: bool) -> int | None:
    # a paused continuous trigger still needs one look: the service stops its active run
    return REARM if not paused or kind == "continuous" else None


def _trigger_kind(
    trigger: Mapping[str, Any], extra: tuple[str, ...] = ()
) -> tuple[str | None, dict[str, Any]]:
    for kind in (*extra, *TRIGGER_KINDS, _TABLE_ALIAS):
        config = trigger.get(kind)
        if isinstance(config, Mapping):
            return ("table_update" if kind == _TABLE_ALIAS else kind), dict(config)
    return None, {}


def _without_pause(config: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in config.items() if key != "pause_status"}


def _delete_slot(conn: Connection, job_id: int, slot: int) -> None:
    conn.execute(
        delete(JOB_TRIGGERS).where(JOB_TRIGGERS.c.job_id == job_id, JOB_TRIGGERS.c.slot == slot)
    )


def _record(row: AnyRow) -> JobTriggerRecord:
    return JobTriggerRecord(
        job_id=row.job_id,
        slot=row.slot,
        kind=row.kind,
        config=row.config,
        config_hash=row.config_hash,
        paused=bool(row.paused),
        settings_version=row.settings_version,
        due_time=row.due_time,
        last_fire_time=row.last_fire_time,
        state=row.state,
        updated_time=row.updated_time,
    )
