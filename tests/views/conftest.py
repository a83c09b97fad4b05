"""Records to render: made by a real (SQLite) store, then varied with ``dataclasses.replace``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard import storage
from brickyard.states import RunType, TriggerType

NOW = 1_763_700_000_000


@pytest.fixture
def db(tmp_path: Path) -> Iterator[storage.Database]:
    """A freshly migrated SQLite store."""
    database = storage.Database.open(f"sqlite:///{tmp_path / 'brickyard.db'}")
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def run(db: storage.Database) -> storage.RunRecord:
    """A PENDING run of job 7 with two tasks in its settings, started at ``NOW``."""
    settings = {"name": "nightly", "tasks": [{"task_key": "a"}, {"task_key": "b"}]}
    with db.transaction() as conn:
        return storage.create_run(
            conn,
            storage.NewRun(
                job_id=7,
                run_name="nightly",
                run_type=RunType.JOB_RUN,
                trigger=TriggerType.ONE_TIME,
                settings=settings,
                created_time=NOW,
            ),
        )


@pytest.fixture
def task_runs(db: storage.Database, run: storage.RunRecord) -> list[storage.TaskRunRecord]:
    """One BLOCKED task run per task of :func:`run`."""
    items = [
        storage.NewTaskRun(job_run_id=run.run_id, task_key=key, task={"task_key": key})
        for key in ("a", "b")
    ]
    with db.transaction() as conn:
        return storage.create_task_runs(conn, items, now_ms=NOW)
