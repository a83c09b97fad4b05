from __future__ import annotations

from collections.abc import Callable

from brickyard.storage import (
    Database,
    RunRecord,
    delete_task_values,
    read_task_values,
    set_task_values,
)


def test_set_read_overwrite_and_delete(db: Database, make_run: Callable[..., RunRecord]) -> None:
    run = make_run()
    other = make_run()
    with db.transaction() as conn:
        set_task_values(
            conn,
            run.run_id,
            "ingest",
            11,
            {"rows": 3, "tables": ["a", "b"], "meta": {"z": 1, "a": None}, "none": None},
        )
        set_task_values(conn, run.run_id, "report", 12, {"ok": True})
        set_task_values(conn, other.run_id, "ingest", 13, {"rows": 99})
        set_task_values(conn, run.run_id, "ingest", 14, {})
    with db.transaction() as conn:
        # a later set (e.g. a retry) overwrites the same key and keeps the others
        set_task_values(conn, run.run_id, "ingest", 15, {"rows": 4, "text": "ünïcode"})
    with db.read() as conn:
        values = read_task_values(conn, run.run_id)
    assert values == {
        "ingest": {
            "rows": 4,
            "tables": ["a", "b"],
            "meta": {"z": 1, "a": None},
            "none": None,
            "text": "ünïcode",
        },
        "report": {"ok": True},
    }
    with db.transaction() as conn:
        delete_task_values(conn, run.run_id, "ingest")
    with db.read() as conn:
        assert read_task_values(conn, run.run_id) == {"report": {"ok": True}}
        assert read_task_values(conn, other.run_id) == {"ingest": {"rows": 99}}
        assert read_task_values(conn, 12345) == {}
