"""A harness that runs jobs through the real engine: real SQLite, real task processes."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from brickyard import storage
from brickyard.app import Services, build_services
from brickyard.engine import RunRequest
from brickyard.params import RunOverrides
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings


@dataclass
class Finished:
    """A finished run and its task runs (every attempt, in creation order)."""

    run: storage.RunRecord
    task_runs: list[storage.TaskRunRecord]

    def latest(self, key: str) -> storage.TaskRunRecord:
        """The newest attempt of a task."""
        return [tr for tr in self.task_runs if tr.task_key == key][-1]

    def attempts(self, key: str) -> list[storage.TaskRunRecord]:
        """Every attempt of a task."""
        return [tr for tr in self.task_runs if tr.task_key == key]

    def results(self) -> dict[str, str | None]:
        """The latest result of every task, by key."""
        out: dict[str, str | None] = {}
        for tr in self.task_runs:
            out[tr.task_key] = tr.result_state.value if tr.result_state else None
        return out


class Harness:
    """Writes task scripts into a job folder and runs jobs to completion."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.job_dir = root / "job"
        self.job_dir.mkdir()
        home = root / "home"
        self.settings = replace(
            Settings.from_env({"BRICKYARD_HOME": str(home)}), max_parallel_tasks=16
        )
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        """The wired app (built on first use)."""
        if self._services is None:
            self._services = build_services(self.settings)
        return self._services

    def script(self, name: str, body: str) -> str:
        """Write a Python task script; returns its path relative to the job folder."""
        path = self.job_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body))
        return name

    def submit(
        self,
        job: Mapping[str, Any],
        *,
        job_id: int | None = None,
        params: Mapping[str, str] | None = None,
        only: Sequence[str] | None = None,
    ) -> storage.RunRecord:
        """Store the job (when it has no id) and start a run of it."""
        settings = parse_job_settings(job)
        if job_id is None:
            with self.services.database.transaction() as conn:
                job_id = storage.create_job(conn, settings.to_api(), now_ms=0).job_id
        return self.services.engine.submit(
            RunRequest(
                settings=settings,
                job_id=job_id,
                overrides=RunOverrides(job_parameters=dict(params) if params else None),
                only=only,
                base_dir=self.job_dir,
            )
        )

    def wait(self, run_id: int) -> Finished:
        """Drive the engine until the run finishes."""
        run = self.services.engine.wait_for(run_id)
        return self.read(run.run_id) if run else self.read(run_id)

    def read(self, run_id: int) -> Finished:
        """The stored run and its task runs."""
        with self.services.database.read() as conn:
            return Finished(storage.read_run(conn, run_id), storage.list_task_runs(conn, run_id))

    def run(self, job: Mapping[str, Any], **kwargs: Any) -> Finished:
        """Submit and wait."""
        return self.wait(self.submit(job, **kwargs).run_id)

    def close(self) -> None:
        """Stop the app."""
        if self._services is not None:
            self._services.close()
            self._services = None


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    """A fresh brickyard home and job folder."""
    h = Harness(tmp_path)
    yield h
    h.close()


def py_task(key: str, script: str, *deps: str, **extra: Any) -> dict[str, Any]:
    """A spark_python_task running ``script`` with ``deps``."""
    task: dict[str, Any] = {"task_key": key, "spark_python_task": {"python_file": script}}
    if deps:
        task["depends_on"] = [{"task_key": d} for d in deps]
    task.update(extra)
    return task


@pytest.fixture
def py() -> Any:
    """The ``py_task`` helper (test modules cannot import conftest under importlib mode)."""
    return py_task
