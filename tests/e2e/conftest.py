"""Run the real ``brickyard`` command in a fresh home."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest


class Cli:
    """``brickyard`` as a subprocess with its own BRICKYARD_HOME."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.env = {**os.environ, "BRICKYARD_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        self.env.pop("BRICKYARD_DATABASE_URL", None)

    def command(self, *args: str) -> list[str]:
        """The argv of a brickyard command."""
        return [sys.executable, "-m", "brickyard", *args]

    def __call__(
        self, *args: str, input: str | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: PLW1510 - tests assert on returncode
            self.command(*args),
            env=self.env,
            capture_output=True,
            text=True,
            input=input,
            timeout=timeout,
            cwd=self.root,
        )

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """Start a command without waiting for it."""
        return subprocess.Popen(
            self.command(*args),
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.root,
        )

    def write(self, name: str, text: str) -> Path:
        """A file in the test folder."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A brickyard command line in a fresh home."""
    return Cli(tmp_path)


def tasks_by_key(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The latest attempt of each task in a runs/get body."""
    out: dict[str, dict[str, Any]] = {}
    for task in run["tasks"]:
        out[task["task_key"]] = task
    return out


@pytest.fixture
def latest_tasks() -> Any:
    """The ``tasks_by_key`` helper."""
    return tasks_by_key


def keys(items: Sequence[dict[str, Any]]) -> list[str]:
    """Task keys in order."""
    return [item["task_key"] for item in items]
