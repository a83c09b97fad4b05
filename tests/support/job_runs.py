"""Run one job through the real engine (real SQLite, real task processes) and read back what
``runs/get`` and ``runs/get-output`` show: the run and each task run's stored record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from brickyard import storage
from brickyard.app import build_services
from brickyard.engine import RunRequest
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings


@dataclass(frozen=True)
class FinishedRun:
    """A finished run and the latest attempt of each task, by key."""

    run: storage.RunRecord
    tasks: Mapping[str, storage.TaskRunRecord]

    def result(self, key: str) -> str | None:
        """The result state of task ``key`` (``SUCCESS``, ``FAILED``...)."""
        state = self.tasks[key].result_state
        return state.value if state is not None else None


def settings_for(home: Path) -> Settings:
    """Settings of a fresh brickyard home (no Maven Central: the tests have no route to it)."""
    return replace(Settings.from_env({"BRICKYARD_HOME": str(home)}), maven_repositories=())


def run_job(settings: Settings, job: Mapping[str, Any], *, base_dir: Path) -> FinishedRun:
    """Store ``job``, run it to its end and read it back."""
    services = build_services(settings)
    try:
        parsed = parse_job_settings(job)
        with services.database.transaction() as conn:
            job_id = storage.create_job(conn, parsed.to_api(), now_ms=0).job_id
        submitted = services.engine.submit(
            RunRequest(settings=parsed, job_id=job_id, base_dir=base_dir)
        )
        services.engine.wait_for(submitted.run_id)
        with services.database.read() as conn:
            run = storage.read_run(conn, submitted.run_id)
            task_runs = storage.list_task_runs(conn, submitted.run_id)
    finally:
        services.close()
    return FinishedRun(run, {task_run.task_key: task_run for task_run in task_runs})
