"""The commit log: one line per write, versions counting up, safe for concurrent writers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from brickyard.warehouse.commit_log import (
    commit_log_path,
    last_commit,
    read_commits,
    record_commit,
)
from brickyard.warehouse.lakehouse_files import TableName

TABLE = TableName("main", "default", "orders")


def test_records_are_json_lines_with_versions_counting_up(tmp_path: Path) -> None:
    first = record_commit(tmp_path, TABLE, "CREATE TABLE AS SELECT", timestamp_ms=1000)
    second = record_commit(tmp_path, TABLE, "INSERT INTO", timestamp_ms=2000)
    assert (first.version, second.version) == (1, 2)
    path = commit_log_path(tmp_path, TABLE)
    assert path == tmp_path / "_commits" / "main" / "default" / "orders.jsonl"
    lines = path.read_text().splitlines()
    assert json.loads(lines[1]) == {
        "table": "main.default.orders",
        "operation": "INSERT INTO",
        "timestamp": 2000,
        "version": 2,
        "source": "warehouse",
    }
    assert [c.version for c in read_commits(tmp_path, TABLE, after_version=1)] == [2]
    assert last_commit(tmp_path, TABLE) == second
    assert last_commit(tmp_path, TableName("main", "default", "other")) is None


def test_an_unfinished_last_line_is_not_read_and_versions_continue_after_it(tmp_path: Path) -> None:
    record_commit(tmp_path, TABLE, "INSERT INTO")
    path = commit_log_path(tmp_path, TABLE)
    with path.open("a") as handle:
        handle.write('{"table": "main.default.orders", "vers')
    assert [c.version for c in read_commits(tmp_path, TABLE)] == [1]


def test_a_long_log_is_read_from_its_end(tmp_path: Path) -> None:
    for _ in range(120):  # more than one 4 KiB block
        record_commit(tmp_path, TABLE, "INSERT INTO", source="a-rather-long-source-name" * 2)
    assert record_commit(tmp_path, TABLE, "DELETE").version == 121


def test_concurrent_writers_in_threads_and_processes_never_share_a_version(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path\n"
        "from brickyard.warehouse.commit_log import record_commit\n"
        "from brickyard.warehouse.lakehouse_files import TableName\n"
        "for _ in range(20): record_commit(Path(sys.argv[1]), TableName('main','default','orders'),"
        " 'INSERT INTO', source='process')\n"
    )
    other = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)])
    threads = [
        threading.Thread(
            target=lambda: [record_commit(tmp_path, TABLE, "INSERT INTO") for _ in range(20)]
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert other.wait(timeout=60) == 0
    versions = [c.version for c in read_commits(tmp_path, TABLE)]
    assert versions == list(range(1, 81))
