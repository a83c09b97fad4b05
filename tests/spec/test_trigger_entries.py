"""The trigger entries of job settings: kinds, slots, configuration hashes, what re-arms."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest

from brickyard.spec.trigger_entries import TriggerEntry, describe_trigger, trigger_entries
from brickyard.spec.triggers import TriggerKind

SCHEDULE = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Europe/Paris"}


def _entry(kind: TriggerKind, *, paused: bool = False, **config: Any) -> TriggerEntry:
    return TriggerEntry(slot=0, kind=kind, config=config, paused=paused)


def test_entries_cover_schedule_trigger_continuous_and_the_triggers_list() -> None:
    entries = trigger_entries(
        {
            "schedule": {**SCHEDULE, "pause_status": "PAUSED"},
            "trigger": {"periodic": {"interval": 2, "unit": "HOURS"}},
            "continuous": {"pause_status": "UNPAUSED"},
            "triggers": [
                {"schedule": SCHEDULE},
                {"table": {"table_names": ["c.s.t"]}, "pause_status": "PAUSED"},
                {"nothing": {}},
            ],
        }
    )
    assert [(e.slot, e.kind, e.paused) for e in entries] == [
        (0, "schedule", True),
        (1, "periodic", False),
        (2, "continuous", False),
        (3, "schedule", False),
        (4, "table_update", True),
    ]
    assert entries[0].config == SCHEDULE
    assert entries[0].config_hash == entries[3].config_hash


def test_the_kinds_are_the_field_names_and_the_trigger_object_holds_none_of_schedule() -> None:
    entries = trigger_entries(
        {
            "trigger": {"schedule": SCHEDULE, "file_arrival": {"url": "/in"}},
            "triggers": [
                {"continuous": {"task_retry_mode": "ON_FAILURE"}},
                {"job_completion": {"jobs": []}},
                {"model": {"condition": "MODEL_CREATED"}},
            ],
        }
    )
    assert [(e.kind, e.config) for e in entries] == [
        (TriggerKind.FILE_ARRIVAL, {"url": "/in"}),
        (TriggerKind.CONTINUOUS, {"task_retry_mode": "ON_FAILURE"}),
        (TriggerKind.JOB_COMPLETION, {"jobs": []}),
        (TriggerKind.MODEL, {"condition": "MODEL_CREATED"}),
    ]
    assert all(type(e.kind) is TriggerKind for e in entries)


def test_the_wire_spelling_table_update_wins_over_the_deprecated_table() -> None:
    (entry,) = trigger_entries(
        {"trigger": {"table": {"table_names": ["old"]}, "table_update": {"table_names": ["new"]}}}
    )
    assert (entry.kind, entry.config) == (TriggerKind.TABLE_UPDATE, {"table_names": ["new"]})


def test_the_config_hash_is_that_of_the_plain_kind_name_so_stored_rows_keep_theirs() -> None:
    payload = orjson.dumps({"config": SCHEDULE, "kind": "schedule"}, option=orjson.OPT_SORT_KEYS)
    assert _entry(TriggerKind.SCHEDULE, **SCHEDULE).config_hash == (
        hashlib.sha256(payload).hexdigest()
    )
    assert _entry(TriggerKind.SCHEDULE, **SCHEDULE).config_hash != (
        _entry(TriggerKind.SCHEDULE, **{**SCHEDULE, "timezone_id": "UTC"}).config_hash
    )


@pytest.mark.parametrize(
    ("kind", "paused", "armed"),
    [
        (TriggerKind.SCHEDULE, False, True),
        (TriggerKind.SCHEDULE, True, False),
        (TriggerKind.FILE_ARRIVAL, True, False),
        (TriggerKind.CONTINUOUS, False, True),
        (TriggerKind.CONTINUOUS, True, True),  # its active run must still be stopped
    ],
)
def test_a_paused_trigger_is_not_armed_but_a_paused_continuous_one_is(
    kind: TriggerKind, paused: bool, armed: bool
) -> None:
    assert _entry(kind, paused=paused).armed is armed


def test_a_trigger_is_rearmed_when_its_config_or_pause_changes_a_continuous_one_always() -> None:
    schedule = _entry(TriggerKind.SCHEDULE, **SCHEDULE)
    assert not schedule.rearms(config_hash=schedule.config_hash, paused=False)
    assert schedule.rearms(config_hash="other", paused=False)
    assert schedule.rearms(config_hash=schedule.config_hash, paused=True)
    continuous = _entry(TriggerKind.CONTINUOUS)
    assert continuous.rearms(config_hash=continuous.config_hash, paused=False)


@pytest.mark.parametrize(
    ("kind", "config", "description"),
    [
        (TriggerKind.SCHEDULE, SCHEDULE, "cron 0 0 2 * * ? Europe/Paris"),
        (TriggerKind.CONTINUOUS, {}, "continuous"),
        (TriggerKind.FILE_ARRIVAL, {"url": "/Volumes/a/b"}, "file arrival /Volumes/a/b"),
        (TriggerKind.PERIODIC, {"interval": 2, "unit": "HOURS"}, "every 2 HOURS"),
        (
            TriggerKind.TABLE_UPDATE,
            {"table_names": ["c.s.t", "c.s.u"]},
            "table update c.s.t, c.s.u",
        ),
        (
            TriggerKind.JOB_COMPLETION,
            {"jobs": [{"workspace_id": "w", "job_id": "7"}, {"job_id": 8}, "junk"]},
            "completion of job 7, 8",
        ),
        (TriggerKind.MODEL, {"condition": "MODEL_CREATED"}, "model MODEL_CREATED"),
        (
            TriggerKind.MODEL,
            {"condition": "MODEL_ALIAS_SET", "securable_name": "c.s.m"},
            "model MODEL_ALIAS_SET c.s.m",
        ),
    ],
)
def test_every_kind_is_described_for_people(
    kind: TriggerKind, config: dict[str, Any], description: str
) -> None:
    assert describe_trigger(kind, config) == description


@pytest.mark.parametrize("kind", list(TriggerKind))
def test_no_kind_lacks_a_description(kind: TriggerKind) -> None:
    assert describe_trigger(kind, {}).startswith(
        ("cron", "continuous", "file", "every", "table", "completion", "model")
    )
