"""Alembic environment: runs on the connection :mod:`brickyard.storage.migrate` hands over.

There is no ``alembic.ini``: :func:`brickyard.storage.migrate.alembic_config` builds the
configuration in code and puts an open connection (already inside a transaction) into
``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from brickyard.storage.schema import METADATA


def _run_online(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_offline(url: str) -> None:
    context.configure(url=url, target_metadata=METADATA, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline(context.config.get_main_option("sqlalchemy.url") or "sqlite://")
else:
    _run_online(context.config.attributes["connection"])
