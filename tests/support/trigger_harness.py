"""A store, an engine and a trigger service on a fake clock: ticks are called with ``now``,
runs are created for real in SQLite, and nothing sleeps (``tests/triggers``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from brickyard import storage
from brickyard.app import Services, build_services
from brickyard.clock import FakeClock
from brickyard.triggers import TickReport, TriggerService

START = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
TASKS = [{"task_key": "t", "spark_python_task": {"python_file": "/tmp/never-run.py"}}]


def ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    return int(moment.timestamp() * 1000)


@dataclass
class Triggers:
    """The services under test, with helpers to store jobs and read their runs."""

    services: Services
    clock: FakeClock

    @property
    def service(self) -> TriggerService:
        return self.services.triggers

    def create_job(self, **settings: Any) -> int:
        body = {"name": "j", "tasks": TASKS, **settings}
        with self.services.database.transaction() as conn:
            return storage.create_job(conn, body, now_ms=self.clock.now_ms()).job_id

    def update_job(self, job_id: int, **settings: Any) -> None:
        body = {"name": "j", "tasks": TASKS, **settings}
        with self.services.database.transaction() as conn:
            storage.update_job_settings(conn, job_id, body, now_ms=self.clock.now_ms())

    def tick_at(self, moment: datetime | int) -> TickReport:
        """Move the clock to ``moment`` and run one tick there."""
        now = moment if isinstance(moment, int) else ms(moment)
        self.clock.advance((now - self.clock.now_ms()) / 1000)
        return self.service.run_once(now)

    def runs(self, job_id: int) -> list[storage.RunRecord]:
        """The job's runs, oldest first."""
        with self.services.database.read() as conn:
            return sorted(
                storage.list_runs(conn, job_id=job_id, limit=1000), key=lambda r: r.run_id
            )

    def trigger(self, job_id: int, slot: int = 0) -> storage.JobTriggerRecord:
        with self.services.database.read() as conn:
            return storage.list_job_triggers(conn, job_id)[slot]

    def restart(self) -> None:
        """A new process on the same store (the old one is gone)."""
        self.services.close()
        self.services = build_services(
            self.services.settings, clock=self.clock, control_socket=False
        )
