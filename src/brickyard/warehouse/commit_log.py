"""The lakehouse commit log: one record per successful write to a table, for table-update
triggers (which follow it instead of polling the data files' mtimes).

Where: ``<lakehouse>/_commits/<catalog>/<schema>/<table>.jsonl`` (names lower case, as the table
folders). The leading ``_`` keeps the folder out of the catalogs (catalog folders never start
with ``_`` or ``.``).

Format: UTF-8 JSON Lines, one object per commit, each line ending in ``\\n``::

    {"table": "main.default.orders", "operation": "INSERT INTO", "timestamp": 1763700000000,
     "version": 3, "source": "warehouse"}

- ``table``: the three-level name, lower case.
- ``operation``: what was done, in Delta's history wording where it has one: ``CREATE TABLE``,
  ``CREATE OR REPLACE TABLE``, ``CREATE TABLE AS SELECT``, ``CREATE OR REPLACE TABLE AS
  SELECT``, ``INSERT INTO``, ``INSERT OVERWRITE``, ``DELETE``, ``UPDATE``, ``TRUNCATE``,
  ``DROP TABLE``.
- ``timestamp``: when the write committed, epoch milliseconds (UTC).
- ``version``: 1 for the table's first commit, then one more than the line before (a dropped and
  re-created table goes on counting).
- ``source``: who wrote (``warehouse``, ``spark``, ``dbt``...).

Writers (Python here, the Java catalog later) follow one protocol: open the file for append,
take an exclusive POSIX lock on it (``fcntl.lockf``; Java's ``FileChannel.lock``), read the last
line's ``version``, append the new line in a single write, release. Readers need no lock: a line
is only ever appended whole, so a reader ignores a last line without its ``\\n``.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from brickyard.warehouse.file_locks import exclusive
from brickyard.warehouse.lakehouse_files import TableName

COMMITS_FOLDER = "_commits"


@dataclass(frozen=True)
class CommitRecord:
    """One line of a table's commit log."""

    table: str
    operation: str
    timestamp: int
    version: int
    source: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "table": self.table,
                "operation": self.operation,
                "timestamp": self.timestamp,
                "version": self.version,
                "source": self.source,
            },
            separators=(",", ":"),
        )


def commit_log_path(lakehouse_root: Path, table: TableName) -> Path:
    """The commit log of ``table``."""
    return lakehouse_root / COMMITS_FOLDER / table.catalog / table.schema / f"{table.table}.jsonl"


def record_commit(
    lakehouse_root: Path,
    table: TableName,
    operation: str,
    *,
    source: str = "warehouse",
    timestamp_ms: int | None = None,
) -> CommitRecord:
    """Append a commit of ``table`` to its log (the module docstring's protocol) and return it."""
    path = commit_log_path(lakehouse_root, table)
    with exclusive(path):
        last = _last_record(path)
        record = CommitRecord(
            table=str(table),
            operation=operation,
            timestamp=timestamp_ms if timestamp_ms is not None else time.time_ns() // 1_000_000,
            version=(last.version if last else 0) + 1,
            source=source,
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, (record.to_json() + "\n").encode())
        finally:
            os.close(descriptor)
    return record


def read_commits(
    lakehouse_root: Path, table: TableName, *, after_version: int = 0
) -> list[CommitRecord]:
    """The commits of ``table`` with a version above ``after_version``, oldest first."""
    path = commit_log_path(lakehouse_root, table)
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    records = [_parse(line) for line in text.split("\n")[:-1] if line.strip()]
    return [record for record in records if record.version > after_version]


def last_commit(lakehouse_root: Path, table: TableName) -> CommitRecord | None:
    """The newest commit of ``table`` (read from the end of its log); None before the first."""
    return _last_record(commit_log_path(lakehouse_root, table))


def _parse(line: str | bytes) -> CommitRecord:
    raw = json.loads(line)
    return CommitRecord(
        table=str(raw["table"]),
        operation=str(raw["operation"]),
        timestamp=int(raw["timestamp"]),
        version=int(raw["version"]),
        source=str(raw.get("source", "")),
    )


def _last_record(path: Path) -> CommitRecord | None:
    """The last whole line of the log, read from its end (logs grow without bound)."""
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        position = handle.seek(0, os.SEEK_END)
        data = b""
        while position > 0:
            step = min(4096, position)
            position -= step
            handle.seek(position)
            data = handle.read(step) + data
            lines = data.split(b"\n")
            # lines[-1] follows the last newline (an unfinished line, or empty); lines[0] may be
            # cut by the block boundary unless the block reaches the start of the file
            candidates = lines[:-1] if position == 0 else lines[1:-1]
            whole = [line for line in candidates if line.strip()]
            if whole:
                return _parse(whole[-1])
    return None
