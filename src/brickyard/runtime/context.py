"""The state one task process shares between dbutils, display and the runners."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.runtime.redaction import Redactor
from brickyard.task_protocol import RuntimeSpec

DisplaySink = Callable[[dict[str, str]], None]
"""Receives one display output as a MIME bundle (``text/plain``, ``text/html``)."""


@dataclass(frozen=True)
class RuntimePaths:
    """Where the local stand-ins for DBFS, volumes, the workspace and secrets live."""

    workspace_root: Path
    dbfs_root: Path
    volumes_root: Path
    secrets_file: Path
    pip_cache_root: Path

    @classmethod
    def under_home(cls, home: Path) -> RuntimePaths:
        """The default layout under a brickyard home."""
        return cls(
            workspace_root=home / "workspace",
            dbfs_root=home / "dbfs",
            volumes_root=home / "volumes",
            secrets_file=home / "secrets.json",
            pip_cache_root=home / "environments" / "pip",
        )

    @classmethod
    def from_spec(cls, spec: RuntimeSpec) -> RuntimePaths:
        """The spec's paths, falling back to the layout under its ``home``."""
        base = cls.under_home(spec.home or default_home())
        return cls(
            workspace_root=spec.workspace_root or base.workspace_root,
            dbfs_root=spec.dbfs_root or base.dbfs_root,
            volumes_root=spec.volumes_root or base.volumes_root,
            secrets_file=spec.secrets_file or base.secrets_file,
            pip_cache_root=spec.pip_cache_root or base.pip_cache_root,
        )


def default_home() -> Path:
    """The brickyard home for use outside a job: ``$BRICKYARD_HOME`` or ``~/.brickyard``."""
    return Path(os.environ.get("BRICKYARD_HOME") or Path.home() / ".brickyard").expanduser()


class TaskContext:
    """Mutable per-process state: task values set, exit value, redaction, display target.

    ``spec`` is None for interactive use outside a job (:func:`brickyard.runtime.get_dbutils`).
    """

    def __init__(self, spec: RuntimeSpec | None, paths: RuntimePaths) -> None:
        self.spec = spec
        self.paths = paths
        self.redactor = Redactor()
        self.task_values: dict[str, Any] = {}
        self.display_sink: DisplaySink | None = None
        self.log_writer: Callable[[str], None] | None = None
        """Writes a text copy of display outputs to the log only (not to a cell's outputs)."""
        self.on_task_values_changed: Callable[[dict[str, Any]], None] | None = None
        self.on_secret_used: Callable[[str, str], None] | None = None
        self.on_exit: Callable[[str], None] | None = None
        """Hooks the Jupyter kernel uses to report task values, secrets and the exit value."""
        self._notebook_files: list[Path] = []

    @property
    def in_job(self) -> bool:
        """Whether this process runs as a task of a job run."""
        return self.spec is not None

    @property
    def current_notebook_file(self) -> Path | None:
        """The notebook file whose cells run now (the innermost ``%run``), if any."""
        if self._notebook_files:
            return self._notebook_files[-1]
        notebook = self.spec.notebook if self.spec is not None else None
        return notebook.notebook_file if notebook is not None else None

    @property
    def notebook_stack(self) -> tuple[Path, ...]:
        """The notebook files being run, outermost first (the ``%run`` recursion guard)."""
        return tuple(self._notebook_files)

    @contextmanager
    def running_notebook(self, notebook_file: Path) -> Iterator[None]:
        """Mark ``notebook_file`` as the notebook whose cells run inside the block."""
        self._notebook_files.append(notebook_file)
        try:
            yield
        finally:
            self._notebook_files.pop()
