"""The real engine on a fake clock with an in-memory launcher (``tests/engine``).

Nothing starts a process and nothing sleeps: the test decides when each task process starts
and exits (writing its result file with the runtime's own writer) and moves the clock; every
step is an explicit ``run_once``. The store is real SQLite.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import FakeClock
from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.process import (
    LaunchedProcess,
    ProcessEvent,
    ProcessExit,
    ProcessSpec,
    ProcessStarted,
)
from brickyard.engine import Engine, RunRequest
from brickyard.executors.registry import ExecutorRegistry
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings
from brickyard.task_protocol import ResultStatus, TaskFiles, TaskResult, write_result_file
from brickyard.workspace import Workspace

SUCCESS = TaskResult(status=ResultStatus.SUCCESS)
FAILURE = TaskResult(status=ResultStatus.FAILED, error="boom", error_code="RunExecutionError")


@dataclass
class FakeProcess:
    """One process the engine asked for."""

    token: int
    spec: ProcessSpec
    pid: int | None = None


@dataclass
class FakeLauncher:
    """A Launcher whose processes start and exit when the test says so."""

    report: Callable[[ProcessEvent], None]
    asked: dict[int, FakeProcess] = field(default_factory=dict)
    """Every start asked for, by token (the task run id)."""
    terminated: list[int] = field(default_factory=list)
    """Pids whose process group got SIGTERM."""
    _pids: Iterator[int] = field(default_factory=lambda: itertools.count(40_000))

    def start(self, spec: ProcessSpec, token: int) -> None:
        self.asked[token] = FakeProcess(token, spec)

    def terminate_group(self, pid: int, grace_seconds: float = 5.0) -> None:
        self.terminated.append(pid)

    def adopt(self, pid: int, process_start: int | None) -> None:
        raise AssertionError("the fake engine never adopts processes")

    def close(self) -> None:
        return None

    def waiting(self) -> list[int]:
        """Tokens asked for whose start has not been reported yet."""
        return [t for t, p in self.asked.items() if p.pid is None]

    def report_started(self, token: int) -> int:
        """The process of ``token`` runs; returns its pid."""
        process = self.asked[token]
        assert process.pid is None, f"{token} already started"
        process.pid = next(self._pids)
        self.report(ProcessStarted(token, LaunchedProcess(process.pid, process_start=None)))
        return process.pid

    def report_exit(self, token: int, result: TaskResult | None, status: int = 0) -> None:
        """The process of ``token`` ends, leaving ``result`` (None: no result file)."""
        process = self.asked[token]
        assert process.pid is not None, f"{token} never started"
        if result is not None:
            assert process.spec.runtime_spec is not None
            write_result_file(TaskFiles.of(process.spec.runtime_spec.parent).result, result)
        self.report(ProcessExit(process.pid, status))


class FakeEngine:
    """An engine on a FakeClock and a FakeLauncher, over a fresh SQLite store."""

    def __init__(self, root: Path, **settings_fields: Any) -> None:
        self.root = root
        self.script = root / "task.py"
        self.script.write_text("pass\n")
        self.settings = replace(
            Settings.from_env({"BRICKYARD_HOME": str(root / "home")}),
            max_parallel_tasks=16,
            **settings_fields,
        )
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.clock = FakeClock()
        self.database = storage.Database.open(self.settings.database_url)
        launchers: list[FakeLauncher] = []

        def launcher_factory(_: Settings, report: Callable[[ProcessEvent], None]) -> FakeLauncher:
            launchers.append(FakeLauncher(report))
            return launchers[-1]

        self.engine = Engine(
            settings=self.settings,
            database=self.database,
            executors=ExecutorRegistry(
                self.settings,
                Workspace(self.settings.workspace_root),
                EnvironmentCache(self.settings.environments_root, self.settings.python_executable),
            ),
            launcher_factory=launcher_factory,
            clock=self.clock,
            control_socket=False,
        )
        self.launcher = launchers[0]
        self.transactions = 0
        real = self.database.transaction

        @contextmanager
        def counted() -> Iterator[Connection]:
            self.transactions += 1
            with real() as conn:
                yield conn

        self.database.transaction = counted  # type: ignore[method-assign]

    def task(self, key: str, *deps: str, **extra: Any) -> dict[str, Any]:
        """A python-file task depending on ``deps``."""
        task: dict[str, Any] = {
            "task_key": key,
            "spark_python_task": {"python_file": str(self.script)},
        }
        if deps:
            task["depends_on"] = [{"task_key": d} for d in deps]
        task.update(extra)
        return task

    def create_job(self, job: Mapping[str, Any]) -> int:
        """Store a job; returns its id."""
        with self.database.transaction() as conn:
            settings = parse_job_settings(job).to_api()
            return storage.create_job(conn, settings, now_ms=self.clock.now_ms()).job_id

    def submit(self, job: Mapping[str, Any], *, job_id: int | None = None) -> int:
        """Start a run of ``job`` (stored first when it has no id); returns the run id."""
        if job_id is None:
            job_id = self.create_job(job)
        request = RunRequest(settings=parse_job_settings(job), job_id=job_id)
        return self.engine.submit(request).run_id

    def step(self) -> float:
        """One loop step; returns the delay the loop would sleep."""
        return self.engine.run_once()

    def start_all(self) -> list[int]:
        """Report the start of every process asked for, then step; returns their tokens."""
        tokens = self.launcher.waiting()
        for token in tokens:
            self.launcher.report_started(token)
        self.step()
        return tokens

    def finish(self, token: int, result: TaskResult | None = SUCCESS, status: int = 0) -> None:
        """The process of ``token`` exits with ``result``; then step."""
        self.launcher.report_exit(token, result, status)
        self.step()

    def run(self, run_id: int) -> storage.RunRecord:
        """The stored run."""
        with self.database.read() as conn:
            return storage.read_run(conn, run_id)

    def task_runs(self, run_id: int) -> list[storage.TaskRunRecord]:
        """The stored task runs of a run, in creation order."""
        with self.database.read() as conn:
            return storage.list_task_runs(conn, run_id)

    def latest(self, run_id: int, key: str) -> storage.TaskRunRecord:
        """The newest stored attempt of ``key``."""
        return [tr for tr in self.task_runs(run_id) if tr.task_key == key][-1]

    def close(self) -> None:
        """Stop the engine and the store."""
        self.engine.close()
        self.database.dispose()
