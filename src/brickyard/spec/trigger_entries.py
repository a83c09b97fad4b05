"""The schedules and triggers of job settings, as the trigger rows store them.

The one walk that reads trigger kinds out of job settings: ``schedule``, ``trigger``,
``continuous`` and each ``triggers[]`` entry (the pausable entries of :mod:`brickyard.spec.update`)
become :class:`TriggerEntry` objects, numbered by slot in that order. Storage diffs them against
its rows (``storage.sync_job_triggers``); the entry says what it is, its configuration, whether
it is paused, and when a change of settings re-arms it. :func:`describe_trigger` says what a
stored trigger does, for people (``brickyard jobs list``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson

from brickyard.spec.triggers import TriggerKind
from brickyard.spec.update import PAUSED, pausable_entries

TRIGGER_FIELDS: Final[Mapping[str, TriggerKind]] = {
    "file_arrival": TriggerKind.FILE_ARRIVAL,
    "periodic": TriggerKind.PERIODIC,
    "table_update": TriggerKind.TABLE_UPDATE,
    "job_completion": TriggerKind.JOB_COMPLETION,
    "model": TriggerKind.MODEL,
    # the deprecated spelling of table_update that older SDKs send; the wire name wins
    "table": TriggerKind.TABLE_UPDATE,
}
"""The fields of a ``trigger`` object that hold a kind of trigger, in the order they are looked
for (a ``triggers[]`` entry may hold ``schedule`` or ``continuous`` before these)."""

_ENTRY_FIELDS: Final[Mapping[str, TriggerKind]] = {
    "schedule": TriggerKind.SCHEDULE,
    "continuous": TriggerKind.CONTINUOUS,
    **TRIGGER_FIELDS,
}

LOOKED_AT_WHEN_PAUSED: Final = frozenset({TriggerKind.CONTINUOUS})
"""Kinds the trigger service must still look at once paused: pausing a continuous job stops
the run it keeps active."""

REARMED_BY_ANY_CHANGE: Final = frozenset({TriggerKind.CONTINUOUS})
"""Kinds re-armed by every change of the job's settings, not only of their own: the service
restarts a continuous job's run so that it runs the new settings."""


@dataclass(frozen=True)
class TriggerEntry:
    """One schedule or trigger found in a job's settings."""

    slot: int
    """Its position among the job's schedules and triggers (the row's key with the job id)."""
    kind: TriggerKind
    config: dict[str, Any]
    """The kind's own object (``pause_status`` left out of a schedule or continuous object)."""
    paused: bool

    @property
    def config_hash(self) -> str:
        """Identifies the configuration: a change of it resets the trigger's state."""
        # orjson writes the enum as its value, so the hash is that of the plain kind name
        payload = orjson.dumps(
            {"kind": self.kind, "config": self.config}, option=orjson.OPT_SORT_KEYS
        )
        return hashlib.sha256(payload).hexdigest()

    @property
    def armed(self) -> bool:
        """Whether the trigger service has anything to do for it once (re-)armed."""
        return not self.paused or self.kind in LOOKED_AT_WHEN_PAUSED

    def rearms(self, *, config_hash: str, paused: bool) -> bool:
        """Whether this entry, replacing a stored trigger of its kind whose configuration had
        ``config_hash`` and was ``paused``, makes the service look at it afresh."""
        return (
            config_hash != self.config_hash
            or paused != self.paused
            or self.kind in REARMED_BY_ANY_CHANGE
        )


def trigger_entries(settings: Mapping[str, Any]) -> list[TriggerEntry]:
    """The schedules and triggers of stored job settings: ``schedule``, ``trigger``,
    ``continuous`` and each ``triggers[]`` entry, in that order (the order gives the slots).
    An entry that holds no kind brickyard knows is left out."""
    found: list[tuple[TriggerKind, dict[str, Any], bool]] = []
    for path, entry in pausable_entries(settings):
        paused = entry.get("pause_status") == PAUSED
        if path == "schedule":
            found.append((TriggerKind.SCHEDULE, _without_pause(entry), paused))
        elif path == "continuous":
            found.append((TriggerKind.CONTINUOUS, _without_pause(entry), paused))
        else:
            # a triggers[] entry may also hold a schedule or continuous mode
            fields = _ENTRY_FIELDS if path.startswith("triggers[") else TRIGGER_FIELDS
            kind_config = _kind_and_config(entry, fields)
            if kind_config is not None:
                found.append((*kind_config, paused))
    return [
        TriggerEntry(slot=slot, kind=kind, config=config, paused=paused)
        for slot, (kind, config, paused) in enumerate(found)
    ]


def _kind_and_config(
    entry: Mapping[str, Any], fields: Mapping[str, TriggerKind]
) -> tuple[TriggerKind, dict[str, Any]] | None:
    for field, kind in fields.items():
        config = entry.get(field)
        if isinstance(config, Mapping):
            return kind, dict(config)
    return None


def _without_pause(config: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in config.items() if key != "pause_status"}


def _job_ids(config: Mapping[str, Any]) -> str:
    jobs = config.get("jobs") or []
    return ", ".join(str(j.get("job_id")) for j in jobs if isinstance(j, Mapping))


_DESCRIPTIONS: Final[Mapping[TriggerKind, Callable[[Mapping[str, Any]], str]]] = {
    TriggerKind.SCHEDULE: lambda c: (
        f"cron {c.get('quartz_cron_expression')} {c.get('timezone_id')}"
    ),
    TriggerKind.CONTINUOUS: lambda _: "continuous",
    TriggerKind.FILE_ARRIVAL: lambda c: f"file arrival {c.get('url')}",
    TriggerKind.PERIODIC: lambda c: f"every {c.get('interval')} {c.get('unit')}",
    TriggerKind.TABLE_UPDATE: lambda c: (
        f"table update {', '.join(map(str, c.get('table_names') or []))}"
    ),
    TriggerKind.JOB_COMPLETION: lambda c: f"completion of job {_job_ids(c)}",
    TriggerKind.MODEL: lambda c: (
        f"model {c.get('condition')} {c.get('securable_name') or ''}".rstrip()
    ),
}


def describe_trigger(kind: TriggerKind, config: Mapping[str, Any]) -> str:
    """A trigger for people: ``cron 0 0 2 * * ? Europe/Paris``, ``every 2 HOURS``..."""
    return _DESCRIPTIONS[kind](config)
