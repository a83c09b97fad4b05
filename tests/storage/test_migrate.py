from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from brickyard.errors import StorageError
from brickyard.storage import HEAD_REVISION, Database, allocate_job_ids, allocate_run_ids, migrate
from brickyard.storage.schema import METADATA


def test_the_scripts_have_a_single_head_equal_to_the_constant() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert heads == [HEAD_REVISION]
    assert migrate.script_head() == HEAD_REVISION


def _table_names(db: Database) -> set[str]:
    with db.read() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_and_upgrade_again(empty_db_url: str) -> None:
    db = Database.open(empty_db_url, migrate=False)
    try:
        assert db.schema_revision() is None
        migrate.upgrade(db)
        assert db.schema_revision() == HEAD_REVISION
        assert _table_names(db) == set(METADATA.tables)
        migrate.downgrade(db, "base")
        assert db.schema_revision() is None
        assert _table_names(db) == set()
        migrate.upgrade(db)
        assert db.schema_revision() == HEAD_REVISION
        # the counters are seeded by the migration
        with db.transaction() as conn:
            assert allocate_run_ids(conn, 1) == [1]
            assert allocate_job_ids(conn, 1) == [1]
    finally:
        db.dispose()


def test_the_models_match_the_migrated_schema(empty_db_url: str) -> None:
    db = Database.open(empty_db_url)
    try:
        with db.read() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, METADATA) == []
    finally:
        db.dispose()


def test_an_unknown_revision_is_a_storage_error(empty_db_url: str) -> None:
    db = Database.open(empty_db_url)
    try:
        with pytest.raises(StorageError, match="nope"):
            migrate.upgrade(db, "nope")
    finally:
        db.dispose()
