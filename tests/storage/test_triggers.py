"""Job trigger rows: written with the settings, re-armed on change, advanced by compare-and-set."""

from __future__ import annotations

from typing import Any

from brickyard.storage import (
    REARM,
    Database,
    JobTriggerRecord,
    advance_trigger,
    count_active_triggers,
    create_job,
    delete_job,
    list_due_triggers,
    list_job_triggers,
    next_due_time,
    update_job_settings,
)

NOW = 1_763_700_000_000
TASKS = [{"task_key": "t", "notebook_task": {"notebook_path": "/n"}}]
SCHEDULE = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Europe/Paris"}


def _job(db: Database, **settings: Any) -> int:
    with db.transaction() as conn:
        return create_job(conn, {"name": "j", "tasks": TASKS, **settings}, now_ms=NOW).job_id


def _update(db: Database, job_id: int, **settings: Any) -> None:
    with db.transaction() as conn:
        update_job_settings(conn, job_id, {"name": "j", "tasks": TASKS, **settings}, now_ms=NOW + 1)


def _triggers(db: Database, job_id: int) -> list[JobTriggerRecord]:
    with db.read() as conn:
        return list_job_triggers(conn, job_id)


def test_a_job_without_triggers_has_no_rows(db: Database) -> None:
    assert _triggers(db, _job(db)) == []


def test_a_new_schedule_is_armed_at_once(db: Database) -> None:
    job_id = _job(db, schedule=SCHEDULE)
    (row,) = _triggers(db, job_id)
    assert (row.kind, row.config, row.paused, row.due_time, row.state) == (
        "schedule",
        SCHEDULE,
        False,
        REARM,
        {},
    )
    with db.read() as conn:
        assert [r.job_id for r in list_due_triggers(conn, NOW)] == [job_id]
        assert next_due_time(conn) == REARM
        assert count_active_triggers(conn) == {"schedule": 1}


def test_a_paused_schedule_is_never_due_and_resuming_rearms_it(db: Database) -> None:
    job_id = _job(db, schedule={**SCHEDULE, "pause_status": "PAUSED"})
    assert _triggers(db, job_id)[0].due_time is None
    with db.read() as conn:
        assert list_due_triggers(conn, NOW) == []
        assert next_due_time(conn) is None
        assert count_active_triggers(conn) == {}
    _update(db, job_id, schedule={**SCHEDULE, "pause_status": "UNPAUSED"})
    assert _triggers(db, job_id)[0].due_time == REARM


def test_an_unchanged_schedule_keeps_its_state_across_other_edits(db: Database) -> None:
    job_id = _job(db, schedule=SCHEDULE)
    with db.transaction() as conn:
        assert advance_trigger(
            conn, job_id, 0, expected_due_time=REARM, due_time=NOW + 60_000, state={"k": 1}
        )
    _update(db, job_id, schedule=SCHEDULE, max_concurrent_runs=3)
    (row,) = _triggers(db, job_id)
    assert (row.due_time, row.state, row.settings_version) == (NOW + 60_000, {"k": 1}, 2)


def test_a_changed_schedule_is_rearmed_with_fresh_state_but_keeps_its_last_fire(
    db: Database,
) -> None:
    job_id = _job(db, schedule=SCHEDULE)
    with db.transaction() as conn:
        advance_trigger(
            conn,
            job_id,
            0,
            expected_due_time=REARM,
            due_time=NOW + 60_000,
            last_fire_time=NOW,
            state={"k": 1},
        )
    _update(db, job_id, schedule={**SCHEDULE, "quartz_cron_expression": "0 0 3 * * ?"})
    (row,) = _triggers(db, job_id)
    assert (row.due_time, row.state, row.last_fire_time) == (REARM, {}, NOW)
    assert row.config["quartz_cron_expression"] == "0 0 3 * * ?"


def test_a_continuous_trigger_is_rearmed_on_every_settings_change(db: Database) -> None:
    job_id = _job(db, continuous={"pause_status": "UNPAUSED"})
    with db.transaction() as conn:
        advance_trigger(conn, job_id, 0, expected_due_time=REARM, due_time=NOW + 1000)
    _update(db, job_id, continuous={"pause_status": "UNPAUSED"}, description="new")
    (row,) = _triggers(db, job_id)
    assert (row.due_time, row.settings_version) == (REARM, 2)
    _update(db, job_id, continuous={"pause_status": "PAUSED"})
    (row,) = _triggers(db, job_id)
    assert (row.due_time, row.paused) == (REARM, True)


def test_removing_or_replacing_a_trigger_updates_the_rows(db: Database) -> None:
    job_id = _job(db, schedule=SCHEDULE)
    _update(db, job_id, trigger={"periodic": {"interval": 1, "unit": "DAYS"}})
    assert [(r.slot, r.kind) for r in _triggers(db, job_id)] == [(0, "periodic")]
    _update(db, job_id)
    assert _triggers(db, job_id) == []


def test_deleting_the_job_deletes_its_triggers(db: Database) -> None:
    job_id = _job(db, schedule=SCHEDULE)
    with db.transaction() as conn:
        delete_job(conn, job_id)
        assert list_job_triggers(conn, job_id) == []


def test_advance_is_a_compare_and_set_on_due_time(db: Database) -> None:
    job_id = _job(db, schedule=SCHEDULE)
    with db.transaction() as conn:
        assert advance_trigger(conn, job_id, 0, expected_due_time=REARM, due_time=NOW)
        assert not advance_trigger(conn, job_id, 0, expected_due_time=REARM, due_time=NOW + 5)
        assert advance_trigger(conn, job_id, 0, expected_due_time=NOW, due_time=None)
        assert advance_trigger(conn, job_id, 0, expected_due_time=None, due_time=NOW + 7)
    assert _triggers(db, job_id)[0].due_time == NOW + 7


def test_due_triggers_come_oldest_first_and_respect_the_limit(db: Database) -> None:
    ids = [_job(db, schedule=SCHEDULE) for _ in range(3)]
    with db.transaction() as conn:
        for offset, job_id in zip((30, 10, 20), ids, strict=True):
            advance_trigger(conn, job_id, 0, expected_due_time=REARM, due_time=NOW + offset)
    with db.read() as conn:
        assert [r.job_id for r in list_due_triggers(conn, NOW + 25)] == [ids[1], ids[2]]
        assert [r.job_id for r in list_due_triggers(conn, NOW + 99, limit=1)] == [ids[1]]
        assert next_due_time(conn) == NOW + 10
