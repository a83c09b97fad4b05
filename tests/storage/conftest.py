"""Fixtures for the storage contract suite: every test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``BRICKYARD_TEST_POSTGRES_URL`` (its params are skipped when unset).
Each test gets an isolated database: on SQLite a copy of a freshly migrated file, on
PostgreSQL a schema of its own (migrated once per session, emptied before each test).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from brickyard.states import RunType, TriggerType
from brickyard.storage import Database, NewRun, NewTaskRun, create_run, create_task_runs
from brickyard.storage.database import normalize_url
from brickyard.storage.records import RunRecord, TaskRunRecord

POSTGRES_URL_VARIABLE = "BRICKYARD_TEST_POSTGRES_URL"
NOW = 1_763_700_000_000

_TABLES = (
    "sql_queries",
    "sql_warehouses",
    "cluster_libraries",
    "cluster_events",
    "clusters",
    "state_changes",
    "task_values",
    "repairs",
    "task_runs",
    "job_permissions",
    "job_triggers",
    "job_versions",
    "jobs",
    "runs",
    "tokens",
)


def postgres_url() -> str | None:
    """The test server's URL, or None when PostgreSQL tests are not configured."""
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


@dataclass
class PostgresSchema:
    """A throw-away schema on the test server; ``url`` selects it through ``search_path``."""

    admin_url: str
    name: str

    @property
    def url(self) -> str:
        base = normalize_url(self.admin_url).render_as_string(hide_password=False)
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}options={quote(f'-csearch_path={self.name}')}"

    def create(self) -> None:
        self._execute(f'CREATE SCHEMA "{self.name}"')

    def drop(self) -> None:
        self._execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')

    def _execute(self, sql: str) -> None:
        engine = create_engine(normalize_url(self.admin_url), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, unmigrated database: once SQLite, once PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = postgres_url()
    if admin_url is None:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set")
    schema = PostgresSchema(admin_url, f"brickyard_test_{uuid.uuid4().hex[:12]}")
    schema.create()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "brickyard.db"
    Database.open(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def postgres_session_schema() -> Iterator[PostgresSchema | None]:
    """One migrated schema for the session's PostgreSQL tests (None without a server)."""
    admin_url = postgres_url()
    if admin_url is None:
        yield None
        return
    schema = PostgresSchema(admin_url, f"brickyard_test_{uuid.uuid4().hex[:12]}")
    schema.create()
    try:
        Database.open(schema.url).dispose()
        yield schema
    finally:
        schema.drop()


def _prepare_url(
    backend: str,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_session_schema: PostgresSchema | None,
) -> str:
    if backend == "sqlite":
        path = tmp_path / "brickyard.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    if postgres_session_schema is None:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set")
    url = postgres_session_schema.url
    engine = create_engine(normalize_url(url), poolclass=NullPool)
    with engine.begin() as conn:
        # DELETE, not TRUNCATE: on tables this small it is ten times faster
        for table in _TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("UPDATE id_counters SET next_value = 1"))
    return url


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_session_schema: PostgresSchema | None,
) -> str:
    """The URL of an empty, migrated database: once SQLite, once PostgreSQL."""
    return _prepare_url(request.param, tmp_path, sqlite_template, postgres_session_schema)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An open, migrated, empty database: once on SQLite, once on PostgreSQL."""
    database = Database.open(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def make_run(db: Database) -> Callable[..., RunRecord]:
    """Create a run (test defaults, overridable by keyword) in its own transaction."""

    def make(**overrides: Any) -> RunRecord:
        fields: dict[str, Any] = {
            "job_id": 1,
            "run_name": "nightly",
            "run_type": RunType.JOB_RUN,
            "trigger": TriggerType.ONE_TIME,
            "settings": {"name": "nightly", "tasks": [{"task_key": "a"}]},
            "created_time": NOW,
        }
        fields.update(overrides)
        with db.transaction() as conn:
            return create_run(conn, NewRun(**fields))

    return make


@pytest.fixture
def make_task_runs(db: Database) -> Callable[..., list[TaskRunRecord]]:
    """Create one task run per key (BLOCKED unless overridden) in its own transaction."""

    def make(job_run_id: int, keys: list[str], **overrides: Any) -> list[TaskRunRecord]:
        items = [
            NewTaskRun(job_run_id=job_run_id, task_key=key, task={"task_key": key}, **overrides)
            for key in keys
        ]
        with db.transaction() as conn:
            return create_task_runs(conn, items, now_ms=NOW)

    return make
