"""Shared fixtures for the compute tests: settings, an exit collector, a stand-in task runtime."""

from __future__ import annotations

import json
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard.compute.process import ProcessExit, ProcessSpec
from brickyard.settings import Settings

FAKE_RUNTIME_TARGET = "brickyard_test_fake_runtime:run_task"

# A tiny stand-in for brickyard.runtime.task_main: runs spec["python_file"] with spec["argv"].
FAKE_RUNTIME_SOURCE = """
import json
import runpy
import sys
from pathlib import Path


def run_task(spec_path: Path) -> int:
    spec = json.loads(Path(spec_path).read_text())
    sys.argv = [spec["python_file"], *spec.get("argv", [])]
    try:
        runpy.run_path(spec["python_file"], run_name="__main__")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
"""


class ExitCollector:
    """Collects the exits a launcher reports (from its threads) and waits for them."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.exits: list[ProcessExit] = []

    def __call__(self, exit_: ProcessExit) -> None:
        with self._condition:
            self.exits.append(exit_)
            self._condition.notify_all()

    def wait_for(self, pid: int, timeout: float = 20.0) -> ProcessExit:
        """The exit of ``pid``; fails the test if it is not reported within ``timeout``."""
        with self._condition:
            found = self._condition.wait_for(
                lambda: any(e.pid == pid for e in self.exits), timeout=timeout
            )
            assert found, f"no exit reported for pid {pid}; got {self.exits}"
            return next(e for e in self.exits if e.pid == pid)


@pytest.fixture
def exits() -> ExitCollector:
    return ExitCollector()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    home = tmp_path / "home"
    home.mkdir()
    return Settings(home=home, database_url=f"sqlite:///{home / 'brickyard.db'}")


@pytest.fixture
def fake_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Puts the stand-in runtime module on PYTHONPATH (the fork server inherits it)."""
    folder = tmp_path / "fake_runtime"
    folder.mkdir()
    (folder / "brickyard_test_fake_runtime.py").write_text(FAKE_RUNTIME_SOURCE)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    yield FAKE_RUNTIME_TARGET


class TaskFactory:
    """Writes task folders under ``root``: scripts plus the spec the stand-in runtime reads."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def runtime(self, name: str, code: str, argv: list[str] | None = None) -> ProcessSpec:
        """A runtime-spec process running ``code`` (forked or ``python -m`` runtime)."""
        task_dir = self._script(name, code)
        spec = task_dir / "spec.json"
        spec.write_text(
            json.dumps({"python_file": str(task_dir / "script.py"), "argv": argv or []})
        )
        return ProcessSpec(
            stdout_path=task_dir / "stdout",
            stderr_path=task_dir / "stderr",
            cwd=task_dir,
            runtime_spec=spec,
        )

    def exec(self, name: str, code: str) -> ProcessSpec:
        """A plain ``python script.py`` process (the argv path)."""
        task_dir = self._script(name, code)
        return ProcessSpec(
            stdout_path=task_dir / "stdout",
            stderr_path=task_dir / "stderr",
            cwd=task_dir,
            argv=(sys.executable, str(task_dir / "script.py")),
        )

    def _script(self, name: str, code: str) -> Path:
        task_dir = self.root / name
        task_dir.mkdir(parents=True, exist_ok=True)
        (task_dir / "script.py").write_text(textwrap.dedent(code))
        return task_dir


@pytest.fixture
def tasks(tmp_path: Path) -> TaskFactory:
    return TaskFactory(tmp_path / "tasks")
