"""The run folder: where each task-run attempt keeps its protocol files and logs.

``runs_root/<run_id>/<task_run_id>-<task_key>/`` holds everything one attempt leaves behind.
The engine creates the folder, the executor writes ``spec.json`` into it, the task process
writes ``pid.json`` first, its logs as it runs, ``notebook.ipynb`` for notebooks, and
``result.json`` last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SPEC_FILE_NAME = "spec.json"
RESULT_FILE_NAME = "result.json"
PID_FILE_NAME = "pid.json"
STDOUT_FILE_NAME = "stdout.log"
STDERR_FILE_NAME = "stderr.log"
OUTPUT_NOTEBOOK_FILE_NAME = "notebook.ipynb"


def attempt_dir(runs_root: Path, run_id: int, task_run_id: int, task_key: str) -> Path:
    """The folder of one task-run attempt of job run ``run_id``."""
    return runs_root / str(run_id) / f"{task_run_id}-{task_key}"


@dataclass(frozen=True)
class TaskFiles:
    """The files of one task-run attempt inside its folder."""

    folder: Path
    spec: Path
    result: Path
    pid: Path
    stdout: Path
    stderr: Path
    output_notebook: Path

    @classmethod
    def of(cls, task_dir: Path) -> TaskFiles:
        """The standard file names under ``task_dir`` (made absolute: processes change cwd)."""
        folder = Path(task_dir).absolute()
        return cls(
            folder=folder,
            spec=folder / SPEC_FILE_NAME,
            result=folder / RESULT_FILE_NAME,
            pid=folder / PID_FILE_NAME,
            stdout=folder / STDOUT_FILE_NAME,
            stderr=folder / STDERR_FILE_NAME,
            output_notebook=folder / OUTPUT_NOTEBOOK_FILE_NAME,
        )
