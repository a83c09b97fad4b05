"""The SQL warehouse service: warehouses' states (STARTING → RUNNING → STOPPING → STOPPED),
their engines, and the idle ones stopped after ``auto_stop_mins``.

A warehouse's engine is DuckDB over the lakehouse unless its spec names a ``sqlalchemy_url``
(a brickyard field: a database the team already runs). Opening an engine is fast, but it is
done on the service's thread as a real start would be, so clients see STARTING and then
RUNNING exactly as against Databricks. A statement or task on a stopped warehouse starts it.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from brickyard import storage
from brickyard.clock import Clock
from brickyard.errors import InvalidInputError, InvalidStateError, ResourceNotFoundError
from brickyard.warehouse.engine import Warehouse, open_warehouse

logger = logging.getLogger(__name__)

CLUSTER_SIZES: Final = (
    "2X-Small",
    "X-Small",
    "Small",
    "Medium",
    "Large",
    "X-Large",
    "2X-Large",
    "3X-Large",
    "4X-Large",
)
WAREHOUSE_TYPES: Final = ("TYPE_UNSPECIFIED", "CLASSIC", "PRO")
DEFAULT_AUTO_STOP_MINS: Final = 120
"""What Databricks gives a warehouse created without ``auto_stop_mins``."""
START_TIMEOUT_SECONDS: Final = 60.0

RUNNING = "RUNNING"
STARTING = "STARTING"
STOPPING = "STOPPING"
STOPPED = "STOPPED"


class WarehouseService:
    """The SQL warehouses stored in ``database``, over the lakehouse at ``lakehouse_root``."""

    def __init__(self, database: storage.Database, clock: Clock, lakehouse_root: Path) -> None:
        self._db = database
        self._clock = clock
        self._lakehouse_root = lakehouse_root
        self._engines: dict[str, Warehouse] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="brickyard-warehouse")

    # -- the SQL Warehouses API ---------------------------------------------------------------

    def create(
        self, spec: Mapping[str, Any], *, creator: str | None = None
    ) -> storage.SqlWarehouseRecord:
        """Store a warehouse, STARTING, and start it."""
        checked = checked_spec(spec)
        now = self._clock.now_ms()
        record = storage.SqlWarehouseRecord(
            warehouse_id=secrets.token_hex(8),
            name=checked["name"],
            spec=checked,
            state=STARTING,
            creator_name=creator,
            created_time=now,
            last_activity_time=now,
            health=None,
        )
        with self._db.transaction() as conn:
            storage.insert_warehouse(conn, record)
        self._pool.submit(self._start, record.warehouse_id)
        return record

    def get(self, warehouse_id: str) -> storage.SqlWarehouseRecord:
        """The warehouse as stored now."""
        with self._db.read() as conn:
            return storage.read_warehouse(conn, warehouse_id)

    def list_warehouses(self) -> list[storage.SqlWarehouseRecord]:
        """Every warehouse."""
        with self._db.read() as conn:
            return storage.list_warehouses(conn)

    def edit(self, warehouse_id: str, changes: Mapping[str, Any]) -> None:
        """Change a warehouse's settings; a running one restarts with them."""
        record = self.get(warehouse_id)
        spec = checked_spec({**record.spec, **changes})
        running = record.state in (RUNNING, STARTING)
        with self._db.transaction() as conn:
            storage.update_warehouse(
                conn,
                warehouse_id,
                spec=spec,
                name=spec["name"],
                state=STARTING if running else record.state,
            )
        if running:
            self._close_engine(warehouse_id)
            self._pool.submit(self._start, warehouse_id)
        self._notify()

    def start(self, warehouse_id: str) -> None:
        """Start a stopped warehouse (a running one is left as it is)."""
        with self._db.transaction() as conn:
            record = storage.read_warehouse(conn, warehouse_id)
            if record.state in (RUNNING, STARTING):
                return
            if record.state == STOPPING:
                raise InvalidStateError(f"SQL warehouse {warehouse_id} is stopping; start it later")
            storage.update_warehouse(conn, warehouse_id, state=STARTING, health=None)
        self._notify()
        self._pool.submit(self._start, warehouse_id)

    def stop(self, warehouse_id: str) -> None:
        """Stop a warehouse: statements running on it are interrupted."""
        with self._db.transaction() as conn:
            record = storage.read_warehouse(conn, warehouse_id)
            if record.state in (STOPPED, STOPPING):
                return
            storage.update_warehouse(conn, warehouse_id, state=STOPPING)
        self._notify()
        self._pool.submit(self._stop, warehouse_id)

    def delete(self, warehouse_id: str) -> None:
        """Stop and forget a warehouse."""
        self.get(warehouse_id)
        self._close_engine(warehouse_id)
        with self._db.transaction() as conn:
            storage.delete_warehouse(conn, warehouse_id)
        self._notify()

    # -- what statements and tasks need -------------------------------------------------------

    def engine(self, warehouse_id: str, *, timeout: float = START_TIMEOUT_SECONDS) -> Warehouse:
        """The running engine of the warehouse, starting it first when it is stopped."""
        deadline = time.monotonic() + timeout
        while True:
            record = self.get(warehouse_id)
            if record.state == RUNNING:
                with self._lock:
                    engine = self._engines.get(warehouse_id)
                if engine is not None:
                    self._touch(warehouse_id)
                    return engine
            elif record.state == STOPPED:
                self.start(warehouse_id)
            if time.monotonic() > deadline:
                raise InvalidStateError(
                    f"SQL warehouse {warehouse_id} did not start within {timeout:.0f} s "
                    f"(it is {record.state})"
                )
            with self._changed:
                self._changed.wait(0.5)

    def run_once(self) -> None:
        """Stop warehouses idle for longer than their ``auto_stop_mins``."""
        now = self._clock.now_ms()
        for record in self.list_warehouses():
            minutes = int(record.spec.get("auto_stop_mins") or 0)
            if (
                record.state == RUNNING
                and minutes
                and now - record.last_activity_time >= minutes * 60_000
            ):
                self.stop(record.warehouse_id)

    def recover(self) -> None:
        """At start: engines do not outlive a process, so warehouses that were running (or on
        their way) start again, and those stopping are stopped."""
        for record in self.list_warehouses():
            if record.state in (RUNNING, STARTING):
                with self._db.transaction() as conn:
                    storage.update_warehouse(conn, record.warehouse_id, state=STARTING)
                self._pool.submit(self._start, record.warehouse_id)
            elif record.state == STOPPING:
                self._pool.submit(self._stop, record.warehouse_id)

    def close(self) -> None:
        """Let every engine go (statements running are interrupted)."""
        self._pool.shutdown(wait=True)
        with self._lock:
            engines, self._engines = dict(self._engines), {}
        for engine in engines.values():
            engine.close()

    # -- the background work ------------------------------------------------------------------

    def _start(self, warehouse_id: str) -> None:
        try:
            record = self.get(warehouse_id)
            if record.state != STARTING:
                return
            engine = open_warehouse(self._lakehouse_root, record.spec.get("sqlalchemy_url"))
            with self._lock:
                old = self._engines.pop(warehouse_id, None)
                self._engines[warehouse_id] = engine
            if old is not None:
                old.close()
            with self._db.transaction() as conn:
                storage.update_warehouse(
                    conn,
                    warehouse_id,
                    state=RUNNING,
                    health={"status": "HEALTHY"},
                    last_activity_time=self._clock.now_ms(),
                )
        except Exception as error:  # a warehouse that cannot start says why, in its health
            logger.exception("starting SQL warehouse %s failed", warehouse_id)
            try:
                with self._db.transaction() as conn:
                    storage.update_warehouse(
                        conn,
                        warehouse_id,
                        state=STOPPED,
                        health={"status": "FAILED", "summary": f"could not start: {error}"},
                    )
            except ResourceNotFoundError:
                pass
        finally:
            self._notify()

    def _stop(self, warehouse_id: str) -> None:
        self._close_engine(warehouse_id)
        try:
            with self._db.transaction() as conn:
                storage.update_warehouse(conn, warehouse_id, state=STOPPED, health=None)
        except ResourceNotFoundError:
            pass
        self._notify()

    def _close_engine(self, warehouse_id: str) -> None:
        with self._lock:
            engine = self._engines.pop(warehouse_id, None)
        if engine is not None:
            engine.close()

    def _touch(self, warehouse_id: str) -> None:
        with self._db.transaction() as conn:
            storage.update_warehouse(conn, warehouse_id, last_activity_time=self._clock.now_ms())

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()


def checked_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A warehouse spec with Databricks' defaults; InvalidInputError names a bad field."""
    checked = {k: v for k, v in spec.items() if v is not None and k != "id"}
    name = checked.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError("name is required")
    if len(name) > 100:
        raise InvalidInputError(f"name must be at most 100 characters, got {len(name)}")
    checked.setdefault("cluster_size", "2X-Small")
    if checked["cluster_size"] not in CLUSTER_SIZES:
        raise InvalidInputError(
            f"cluster_size {checked['cluster_size']!r} is not one of {', '.join(CLUSTER_SIZES)}"
        )
    checked.setdefault("warehouse_type", "PRO")
    if checked["warehouse_type"] not in WAREHOUSE_TYPES:
        raise InvalidInputError(
            f"warehouse_type {checked['warehouse_type']!r} is not one of "
            f"{', '.join(WAREHOUSE_TYPES)}"
        )
    for field in ("auto_stop_mins", "min_num_clusters", "max_num_clusters"):
        value = checked.get(field)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            raise InvalidInputError(f"{field} must be a non-negative integer, got {value!r}")
    checked.setdefault("auto_stop_mins", DEFAULT_AUTO_STOP_MINS)
    checked.setdefault("min_num_clusters", 1)
    checked.setdefault("max_num_clusters", max(1, int(checked["min_num_clusters"])))
    if checked["max_num_clusters"] < checked["min_num_clusters"]:
        raise InvalidInputError(
            f"max_num_clusters ({checked['max_num_clusters']}) is below min_num_clusters "
            f"({checked['min_num_clusters']})"
        )
    checked.setdefault("enable_serverless_compute", False)
    checked.setdefault("enable_photon", True)
    url = checked.get("sqlalchemy_url")
    if url is not None and (not isinstance(url, str) or "://" not in url):
        raise InvalidInputError(f"sqlalchemy_url must be a database URL, got {url!r}")
    return checked
