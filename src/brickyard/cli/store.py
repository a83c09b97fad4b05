"""The store alone, for commands that only read or write records (no engine, no fork server):
``brickyard token`` and ``brickyard jobs pause|resume|list``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from brickyard import storage
from brickyard.settings import Settings


@contextmanager
def open_store(settings: Settings | None = None) -> Iterator[storage.Database]:
    """The store of ``settings`` (default: from the environment), closed afterwards."""
    settings = settings or Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    database = storage.Database.open(settings.database_url)
    try:
        yield database
    finally:
        database.dispose()
