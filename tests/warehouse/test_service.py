"""Warehouses start and stop with their engines, stop after auto_stop_mins idle, start again
for a statement, and come back after a restart of brickyard."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard import storage
from brickyard.clock import FakeClock
from brickyard.warehouse.service import WarehouseService


@pytest.fixture
def database(tmp_path: Path) -> Iterator[storage.Database]:
    db = storage.Database.open(f"sqlite:///{tmp_path / 'brickyard.db'}")
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(
    database: storage.Database, clock: FakeClock, tmp_path: Path
) -> Iterator[WarehouseService]:
    warehouses = WarehouseService(database, clock, tmp_path / "lakehouse")
    yield warehouses
    warehouses.close()


def _wait(service: WarehouseService, warehouse_id: str, state: str) -> None:
    deadline = time.monotonic() + 20
    while service.get(warehouse_id).state != state:
        assert time.monotonic() < deadline, service.get(warehouse_id).state
        time.sleep(0.02)


def test_a_statement_on_a_stopped_warehouse_starts_it(service: WarehouseService) -> None:
    warehouse_id = service.create({"name": "wh"}, creator="alice").warehouse_id
    _wait(service, warehouse_id, "RUNNING")
    service.stop(warehouse_id)
    _wait(service, warehouse_id, "STOPPED")
    result = service.engine(warehouse_id).execute("SELECT 40 + 2 AS answer")
    assert result.rows.to_pylist() == [{"answer": 42}]
    assert service.get(warehouse_id).state == "RUNNING"


def test_an_idle_warehouse_stops_after_auto_stop_mins(
    service: WarehouseService, clock: FakeClock
) -> None:
    idle = service.create({"name": "idle", "auto_stop_mins": 10}).warehouse_id
    never = service.create({"name": "never", "auto_stop_mins": 0}).warehouse_id
    _wait(service, idle, "RUNNING")
    _wait(service, never, "RUNNING")
    clock.advance(9 * 60)
    service.run_once()
    assert service.get(idle).state == "RUNNING"
    clock.advance(2 * 60)
    service.run_once()
    _wait(service, idle, "STOPPED")
    assert service.get(never).state == "RUNNING"


def test_running_warehouses_come_back_after_a_restart(
    database: storage.Database, clock: FakeClock, tmp_path: Path
) -> None:
    first = WarehouseService(database, clock, tmp_path / "lakehouse")
    warehouse_id = first.create({"name": "wh"}).warehouse_id
    _wait(first, warehouse_id, "RUNNING")
    first.engine(warehouse_id).execute("CREATE SCHEMA IF NOT EXISTS main.kept")
    first.close()
    second = WarehouseService(database, clock, tmp_path / "lakehouse")
    try:
        second.recover()
        _wait(second, warehouse_id, "RUNNING")
        second.engine(warehouse_id).execute("CREATE TABLE main.kept.t AS SELECT 1 AS x")
        assert second.engine(warehouse_id).execute("SELECT x FROM main.kept.t").rows.num_rows == 1
    finally:
        second.close()


def test_a_warehouse_that_cannot_start_says_why(service: WarehouseService) -> None:
    warehouse_id = service.create(
        {"name": "pg", "sqlalchemy_url": "nosuchdialect://u@127.0.0.1/db"}
    ).warehouse_id
    _wait(service, warehouse_id, "STOPPED")
    health = service.get(warehouse_id).health
    assert health is not None and health["status"] == "FAILED"
    assert "could not start" in health["summary"]
