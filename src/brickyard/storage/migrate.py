"""Schema migrations, run programmatically with Alembic (no ``alembic.ini`` at run time).

Each upgrade or downgrade runs in one transaction: on SQLite a ``BEGIN IMMEDIATE`` (so two
processes opening a fresh database do not both create it), on PostgreSQL under a transaction
advisory lock for the same reason. Alembic reads the current revision inside that transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, text

from brickyard.errors import StorageError
from brickyard.storage.database import Database

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
"""The Alembic script directory (``env.py``, ``versions/``)."""

_ADVISORY_LOCK_KEY: Final = 0x6272_6963_6B79  # "bricky": any constant shared by every process


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for brickyard's scripts, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_head() -> str:
    """The single head revision of the migration scripts."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise StorageError(f"the migration scripts must have exactly one head, found {heads}")
    return heads[0]


def upgrade(db: Database, revision: str = "head") -> None:
    """Upgrade the schema of ``db`` to ``revision``."""
    _run(db, "upgrade", revision)


def downgrade(db: Database, revision: str) -> None:
    """Downgrade the schema of ``db`` to ``revision`` (``base`` drops every table)."""
    _run(db, "downgrade", revision)


def _run(db: Database, direction: str, revision: str) -> None:
    try:
        with db.transaction() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
                )
            config = alembic_config(conn)
            if direction == "upgrade":
                command.upgrade(config, revision)
            else:
                command.downgrade(config, revision)
    except CommandError as exc:
        raise StorageError(
            f"cannot {direction} database {db.display_url} to {revision}: {exc} "
            "(is it from a newer brickyard?)"
        ) from exc
