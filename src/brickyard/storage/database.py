"""Opening the store: SQLite (WAL, the embedded default) or PostgreSQL (psycopg 3), migrated.

Start-up stays fast: the schema revision is compared with :data:`HEAD_REVISION` directly, and
Alembic (slow to import) is loaded only when the database is behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from brickyard.errors import StorageError

HEAD_REVISION: Final = "0006"
"""The newest Alembic revision in ``storage/migrations/versions`` (a test keeps them equal)."""

SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
"""How long a SQLite writer waits for another writer's lock before failing."""

_BEGIN_OPTION: Final = "brickyard_sqlite_begin"


def normalize_url(url: str) -> URL:
    """Parse ``url``, choosing psycopg 3 for ``postgresql://`` and ``postgres://`` URLs."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"database URL {url!r} is not a valid SQLAlchemy URL: {exc}") from exc
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StorageError(
            f"database URL {parsed.render_as_string()!r}: only sqlite and postgresql are supported"
        )
    return parsed


class Database:
    """A connection pool to the brickyard store, with its schema at :data:`HEAD_REVISION`.

    Repository functions take the :class:`~sqlalchemy.Connection` that :meth:`transaction` or
    :meth:`read` yields.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        """Open the database at ``url`` and bring its schema up to date.

        SQLite file databases get their parent folder created. ``migrate=False`` skips the
        schema check (tests that drive Alembic themselves use it).
        """
        parsed = normalize_url(url)
        engine = _create_engine(parsed)
        db = cls(engine)
        if migrate:
            try:
                db._ensure_schema()
            except BaseException:
                engine.dispose()
                raise
        return db

    @property
    def url(self) -> str:
        """The normalized URL (password included: do not log it; see :meth:`display_url`)."""
        return self._engine.url.render_as_string(hide_password=False)

    @property
    def display_url(self) -> str:
        """The URL with any password masked, for messages and logs."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def dialect_name(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    @property
    def engine(self) -> Engine:
        """The underlying SQLAlchemy engine (for migrations and tests)."""
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: committed when the block exits, rolled back on an exception.

        On SQLite it starts with ``BEGIN IMMEDIATE``, so concurrent writers queue on the busy
        timeout instead of failing when a read lock would have to be upgraded.
        """
        with self._engine.connect() as conn:
            if self.dialect_name == "sqlite":
                conn.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction (a consistent snapshot); whatever it wrote is rolled back."""
        with self._engine.connect() as conn:
            trans = conn.begin()
            try:
                yield conn
            finally:
                trans.rollback()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at, or None for an empty database."""
        with self.read() as conn:
            return read_schema_revision(conn)

    def _ensure_schema(self) -> None:
        try:
            revision = self.schema_revision()
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open database {self.display_url}: {exc}") from exc
        if revision == HEAD_REVISION:
            return
        # Alembic takes ~100 ms to import: load it only when the schema must change.
        from brickyard.storage import migrate

        migrate.upgrade(self)


def read_schema_revision(conn: Connection) -> str | None:
    """The revision in ``alembic_version``, or None when the table does not exist."""
    if conn.dialect.name == "sqlite":
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
    else:
        exists = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar_one()
    if not exists:
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _json_loads(value: Any) -> Any:
    """orjson's reader, for JSON columns. SQLite may hand back a JSON scalar already typed (a
    number column affinity turns ``'4'`` into ``4``): that is the value itself."""
    if isinstance(value, str | bytes | bytearray | memoryview):
        return orjson.loads(value)
    return value


_ENGINE_OPTIONS: Final[dict[str, Any]] = {
    # orjson reads the JSON columns (settings, task specs) several times faster than json:
    # that is most of the cost of reading a run with many task runs.
    "json_deserializer": _json_loads,
    # The API serves requests from a pool of threads; each holds a connection while it reads.
    "pool_size": 20,
    "max_overflow": 20,
}


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, **_ENGINE_OPTIONS)
    database = url.database or ""
    in_memory = database in {"", ":memory:"} or database.startswith("file::memory:")
    if in_memory:
        # One shared connection: every new connection to ":memory:" would be a new database.
        engine = create_engine(
            url,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
            json_deserializer=_json_loads,
        )
    else:
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder of database {database}: {exc}") from exc
        engine = create_engine(url, **_ENGINE_OPTIONS)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # sqlite3's legacy mode starts transactions lazily (only before DML) and so breaks
    # repeatable reads and transactional DDL; SQLAlchemy emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_sqlite_transaction(conn: Connection) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))
