"""The engine on PostgreSQL: the same run semantics with the server as the store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from brickyard.engine import RepairRequest
from brickyard.states import ResultState

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_harness(harness: Any) -> Iterator[Any]:
    """The engine harness with its store in a throw-away PostgreSQL schema."""
    url = os.environ.get("BRICKYARD_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("BRICKYARD_TEST_POSTGRES_URL is not set")
    admin = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    schema = f"engine_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    harness.settings = replace(
        harness.settings,
        database_url=f"{url}{separator}options={quote(f'-csearch_path={schema}')}",
    )
    try:
        yield harness
    finally:
        harness.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def test_runs_retries_and_repairs_on_postgresql(pg_harness: Any, py: Any, tmp_path: Path) -> None:
    marker = tmp_path / "fixed"
    pg_harness.script("ok.py", "dbutils.jobs.taskValues.set('n', 3)\n")
    pg_harness.script(
        "maybe.py", f"import os\nif not os.path.exists({str(marker)!r}): raise SystemExit(1)\n"
    )
    job = {
        "max_concurrent_runs": 1,
        "tasks": [
            py("a", "ok.py"),
            py("b", "maybe.py", "a", max_retries=1),
            py("cleanup", "ok.py", "b", run_if="ALL_DONE"),
        ],
    }
    first = pg_harness.run(job)
    assert pg_harness.services.database.dialect_name == "postgresql"
    assert first.results() == {"a": "SUCCESS", "b": "FAILED", "cleanup": "SUCCESS"}
    assert len(first.attempts("b")) == 2
    assert first.run.result_state is ResultState.SUCCESS_WITH_FAILURES
    marker.write_text("ok")
    pg_harness.services.engine.repair(
        RepairRequest(run_id=first.run.run_id, rerun_all_failed_tasks=True)
    )
    done = pg_harness.wait(first.run.run_id)
    assert done.run.result_state is ResultState.SUCCESS
    assert done.latest("b").result_state is ResultState.SUCCESS
