"""Helpers for runtime tests: write a runtime spec, run a real task process, read its files."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class TaskRun:
    """What a finished task process left behind."""

    task_dir: Path
    returncode: int
    result: dict[str, Any]
    stdout: str
    stderr: str

    @property
    def pid(self) -> dict[str, Any]:
        pid: dict[str, Any] = json.loads((self.task_dir / "pid.json").read_text())
        return pid

    @property
    def notebook(self) -> dict[str, Any]:
        notebook: dict[str, Any] = json.loads((self.task_dir / "notebook.ipynb").read_text())
        return notebook


@dataclass
class TaskEnv:
    """A brickyard home in a temporary folder, and a way to run tasks in it."""

    root: Path
    home: Path
    _count: int = 0

    def spec(self, kind: str, **fields: Any) -> Path:
        """Write ``spec.json`` for a fresh task folder and return its path."""
        self._count += 1
        task_dir = self.root / "runs" / "100" / str(100 + self._count)
        task_dir.mkdir(parents=True)
        spec: dict[str, Any] = {
            "version": 1,
            "kind": kind,
            "task_key": "main_task",
            "job_id": 12,
            "job_run_id": 100,
            "task_run_id": 100 + self._count,
            "attempt_number": 0,
            "argv": [],
            "widgets": {},
            "job_parameters": {},
            "output_notebook": str(task_dir / "notebook.ipynb"),
            "cwd": str(self.root),
            "env": {},
            "sys_path": [],
            "task_values": {},
            "result_file": str(task_dir / "result.json"),
            "home": str(self.home),
            "workspace_root": str(self.home / "workspace"),
            "dbfs_root": str(self.home / "dbfs"),
            "volumes_root": str(self.home / "volumes"),
            "secrets_file": str(self.home / "secrets.json"),
            "pip_cache_root": str(self.home / "environments" / "pip"),
            "control_socket": None,
        }
        spec.update(fields)
        path = task_dir / "spec.json"
        path.write_text(json.dumps(spec))
        return path

    def start(self, spec_path: Path) -> subprocess.Popen[bytes]:
        """Start the task process as the exec launcher does (logs in the task folder)."""
        task_dir = spec_path.parent
        with (
            (task_dir / "stdout.log").open("wb") as out,
            (task_dir / "stderr.log").open("wb") as err,
        ):
            return subprocess.Popen(
                [sys.executable, "-m", "brickyard.runtime", str(spec_path)],
                stdout=out,
                stderr=err,
                cwd=self.root,
            )

    def run(self, spec_path: Path, timeout: float = 120) -> TaskRun:
        """Run the task process to the end."""
        process = self.start(spec_path)
        returncode = process.wait(timeout=timeout)
        return self.collect(spec_path, returncode)

    def collect(self, spec_path: Path, returncode: int) -> TaskRun:
        task_dir = spec_path.parent
        return TaskRun(
            task_dir=task_dir,
            returncode=returncode,
            result=json.loads((task_dir / "result.json").read_text()),
            stdout=(task_dir / "stdout.log").read_text(),
            stderr=(task_dir / "stderr.log").read_text(),
        )

    def script(self, name: str, code: str) -> Path:
        """Write a file under the root."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
        return path

    def run_script(self, code: str, **fields: Any) -> TaskRun:
        """Run ``code`` as a python_file task."""
        script = self.script(f"script_{self._count + 1}.py", code)
        return self.run(self.spec("python_file", python_file=str(script), **fields))

    def run_notebook(self, source: str, name: str = "nb.py", **fields: Any) -> TaskRun:
        """Run ``source`` as a source notebook task."""
        notebook = self.script(f"nb{self._count + 1}/{name}", source)
        fields.setdefault("notebook_format", "SOURCE")
        fields.setdefault("notebook_workspace_path", None)
        return self.run(self.spec("notebook", notebook_file=str(notebook), **fields))


@pytest.fixture
def task_env(tmp_path: Path) -> TaskEnv:
    home = tmp_path / "home"
    home.mkdir()
    return TaskEnv(root=tmp_path, home=home)


def make_context(home: Path, in_job: bool = True, **fields: Any) -> Any:
    """A TaskContext for in-process dbutils tests (``in_job=False``: no spec)."""
    from brickyard.runtime.context import RuntimePaths, TaskContext
    from brickyard.task_protocol import RuntimeSpec

    paths = RuntimePaths.under_home(home)
    if not in_job:
        return TaskContext(None, paths)
    raw: dict[str, Any] = {
        "version": 1,
        "kind": "notebook",
        "task_key": "me",
        "job_id": 1,
        "job_run_id": 10,
        "task_run_id": 11,
        "notebook_file": str(home / "nb.py"),
        "result_file": str(home / "result.json"),
        "home": str(home),
    }
    raw.update(fields)
    return TaskContext(RuntimeSpec.from_json(raw), paths)


@pytest.fixture
def context_factory(tmp_path: Path) -> Callable[..., Any]:
    """Build TaskContexts whose home is ``tmp_path``."""

    def factory(in_job: bool = True, **fields: Any) -> Any:
        return make_context(tmp_path, in_job, **fields)

    return factory


def _build_wheel(folder: Path, name: str, version: str, module_code: str) -> Path:
    """A minimal pure-Python wheel, written by hand (no build backend needed offline)."""
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": module_code,
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record_lines = []
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            data = text.encode()
            archive.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record_lines.append(f"{path},sha256={digest.decode()},{len(data)}")
        record_lines.append(f"{dist_info}/RECORD,,")
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record_lines) + "\n")
    return wheel


@pytest.fixture
def build_wheel() -> Callable[[Path, str, str, str], Path]:
    """Build a minimal pure-Python wheel into a folder (for ``%pip install`` tests)."""
    return _build_wheel
