from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from brickyard.errors import StorageError
from brickyard.storage import HEAD_REVISION, Database, allocate_run_ids
from brickyard.storage.database import normalize_url


def test_normalize_url_picks_psycopg_for_postgresql() -> None:
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db"])
def test_normalize_url_rejects_bad_urls(url: str) -> None:
    with pytest.raises(StorageError, match="database URL"):
        normalize_url(url)


def test_open_creates_the_parent_folder_and_migrates(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "brickyard.db"
    db = Database.open(f"sqlite:///{path}")
    try:
        assert path.exists()
        assert db.schema_revision() == HEAD_REVISION
        assert db.dialect_name == "sqlite"
        assert db.url == f"sqlite:///{path}"
    finally:
        db.dispose()


def test_sqlite_connections_use_wal_and_the_configured_pragmas(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        with db.read() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
    finally:
        db.dispose()


def test_in_memory_sqlite_shares_one_database() -> None:
    db = Database.open("sqlite://")
    try:
        with db.transaction() as conn:
            allocate_run_ids(conn, 3)
        with db.transaction() as conn:
            assert allocate_run_ids(conn, 1) == [4]
    finally:
        db.dispose()


def test_open_reports_an_unreachable_postgres_as_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot open database"):
        Database.open("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")


def test_display_url_masks_the_password() -> None:
    db = Database(create_engine(normalize_url("postgresql://u:pw@h/d")))
    assert "pw" not in db.display_url
    assert "pw" in db.url


def test_transaction_commits_and_rolls_back(db: Database) -> None:
    with db.transaction() as conn:
        first = allocate_run_ids(conn, 1)
    with pytest.raises(RuntimeError), db.transaction() as conn:
        allocate_run_ids(conn, 5)
        raise RuntimeError("boom")
    with db.transaction() as conn:
        assert allocate_run_ids(conn, 1) == [first[0] + 1]


def test_read_rolls_back_what_it_wrote(db: Database) -> None:
    with db.read() as conn:
        allocate_run_ids(conn, 10)
    with db.transaction() as conn:
        assert allocate_run_ids(conn, 1) == [1]


def test_reopening_is_idempotent(db_url: str) -> None:
    for _ in range(2):
        db = Database.open(db_url)
        assert db.schema_revision() == HEAD_REVISION
        db.dispose()


def test_a_database_from_a_newer_brickyard_is_refused(db: Database) -> None:
    with db.transaction() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    try:
        with pytest.raises(StorageError, match=r"9999.*newer brickyard"):
            Database.open(db.url)
    finally:
        with db.transaction() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD_REVISION})


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    Database.open(url).dispose()
    script = textwrap.dedent(
        f"""
        import sys, time
        from brickyard.storage import Database
        start = time.perf_counter()
        db = Database.open({url!r})
        elapsed = time.perf_counter() - start
        db.dispose()
        print(sorted(name for name in sys.modules if name.split(".")[0] == "alembic"))
        print(f"{{elapsed * 1000:.1f}}")
        """
    )
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split("\n")
    assert out[0] == "[]"
    print(f"open up-to-date SQLite: {out[1]} ms (process {time.perf_counter() - started:.2f} s)")
