"""Fixtures for the executor tests: real settings, workspace, environment cache and launcher."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.launcher import LocalLauncher
from brickyard.compute.process import ProcessExit
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.executors.registry import ExecutorRegistry
from brickyard.params import ResolutionContext, ResolvedTaskParameters
from brickyard.settings import Settings
from brickyard.spec import JobSettings, Task
from brickyard.workspace import Workspace
from support.contexts import make_run_context, make_task_context


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    home = tmp_path / "home"
    home.mkdir()
    return Settings(home=home, database_url=f"sqlite:///{home / 'brickyard.db'}")


@pytest.fixture
def workspace(settings: Settings) -> Workspace:
    return Workspace(settings.workspace_root)


@pytest.fixture
def environments(settings: Settings) -> EnvironmentCache:
    return EnvironmentCache(settings.environments_root, sys.executable)


@pytest.fixture
def registry(
    settings: Settings, workspace: Workspace, environments: EnvironmentCache
) -> ExecutorRegistry:
    return ExecutorRegistry(settings, workspace, environments)


@pytest.fixture
def job_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "job"
    folder.mkdir()
    return folder


@dataclass
class Finished:
    """A task run to its end: its plan, exit status and outcome."""

    plan: TaskProcessPlan
    status: int | None
    outcome: TaskOutcome


class TaskRunner:
    """Builds launch requests, then prepares, launches and reads one task like the engine."""

    def __init__(
        self, settings: Settings, registry: ExecutorRegistry, job_dir: Path, runs: Path
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.job_dir = job_dir
        self.runs = runs
        self._next_id = 100

    def request(
        self,
        task: dict[str, Any],
        parameters: ResolvedTaskParameters | None = None,
        *,
        job: dict[str, Any] | None = None,
        **fields: Any,
    ) -> TaskLaunchRequest:
        self._next_id += 1
        parsed = Task.model_validate(task)
        job_settings = JobSettings.model_validate({"name": "job", **(job or {}), "tasks": [task]})
        values: dict[str, Any] = {
            "task": parsed,
            "job_settings": job_settings,
            "parameters": parameters or ResolvedTaskParameters(),
            "job_id": 12,
            "job_run_id": 100,
            "task_run_id": self._next_id,
            "attempt_number": 0,
            "task_dir": self.runs / "100" / str(self._next_id),
            "base_dir": self.job_dir,
            "settings": self.settings,
        }
        values.update(fields)
        return TaskLaunchRequest(**values)

    def run(self, request: TaskLaunchRequest, *, fork: bool = True) -> Finished:
        executor = self.registry.executor_for(request.task)
        assert executor is not None
        plan = executor.prepare(request)
        exits: list[ProcessExit] = []
        done = threading.Event()

        def on_exit(exit_: ProcessExit) -> None:
            exits.append(exit_)
            done.set()

        launcher = LocalLauncher(replace(self.settings, use_fork_server=fork), on_exit)
        try:
            launched = launcher.launch(plan.process)
            assert done.wait(60), "the task process did not end"
        finally:
            launcher.close()
        assert exits[0].pid == launched.pid
        return Finished(plan, exits[0].status, executor.read_outcome(plan, exits[0].status))


@pytest.fixture
def runner(settings: Settings, registry: ExecutorRegistry, job_dir: Path) -> TaskRunner:
    return TaskRunner(settings, registry, job_dir, settings.runs_root)


@pytest.fixture
def ctx() -> ResolutionContext:
    """A task-level context of task ``load`` with upstream task ``ingest`` (parameter rules)."""
    return make_task_context(make_run_context())
