"""The one frozen Settings object. Built at the edge (CLI, app factory) and passed down.

Nothing below the edge reads environment variables: it is handed what it needs from here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MAX_PARALLEL_TASKS = 64
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"


@dataclass(frozen=True)
class Settings:
    """Where brickyard keeps its state and how it runs tasks."""

    home: Path
    """The brickyard home: database, workspace, run logs, DBFS, volumes, secrets, environments."""
    database_url: str
    """SQLAlchemy URL of the store: SQLite under ``home`` by default, or PostgreSQL."""
    max_parallel_tasks: int = DEFAULT_MAX_PARALLEL_TASKS
    """How many task processes one engine runs at once."""
    use_fork_server: bool = True
    """Start Python task processes by forking a pre-warmed server (fast) instead of exec."""
    python_executable: str = field(default=sys.executable)
    """The interpreter that runs task processes and builds library environments."""
    workspace_id: str = "1"
    """The id reported as ``{{workspace.id}}``."""
    base_url: str = "http://localhost:8000"
    """The address reported as ``{{workspace.url}}`` and in ``run_page_url``."""
    lease_seconds: float = 30.0
    """How long an engine's claim on a run lasts without a heartbeat."""
    file_arrival_poll_seconds: float = 10.0
    """How often the server lists the locations file-arrival triggers watch."""
    spark_master: str | None = None
    """A Spark master (``spark://host:7077``) every cluster runs on instead of local mode."""
    maven_repositories: tuple[str, ...] = (MAVEN_CENTRAL,)
    """Where ``maven`` libraries are looked up when the library names no ``repo``."""

    @property
    def workspace_root(self) -> Path:
        """The directory that backs the workspace (``/Workspace/...`` paths)."""
        return self.home / "workspace"

    @property
    def runs_root(self) -> Path:
        """Per-run folders: task specs, logs, result files, executed notebooks."""
        return self.home / "runs"

    @property
    def dbfs_root(self) -> Path:
        """Where ``dbfs:/`` paths live."""
        return self.home / "dbfs"

    @property
    def volumes_root(self) -> Path:
        """Where ``/Volumes/<catalog>/<schema>/<volume>/...`` paths live."""
        return self.home / "volumes"

    @property
    def secrets_file(self) -> Path:
        """The local secret store (JSON, readable only by its owner)."""
        return self.home / "secrets.json"

    @property
    def environments_root(self) -> Path:
        """Cached Python environments, one per distinct library set."""
        return self.home / "environments"

    @property
    def lakehouse_root(self) -> Path:
        """Tables of every catalog: ``<catalog>/<schema>/<table>/``, read by Spark and DuckDB."""
        return self.home / "lakehouse"

    @property
    def clusters_root(self) -> Path:
        """Per-cluster folders: a running cluster's server process, its logs and its conf."""
        return self.home / "clusters"

    @property
    def spark_root(self) -> Path:
        """Spark's caches: resolved Maven jars, the compiled lakehouse catalog."""
        return self.home / "spark"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``BRICKYARD_*`` environment variables, with the embedded defaults."""
        env = os.environ if environ is None else environ
        home = Path(env.get("BRICKYARD_HOME") or Path.home() / ".brickyard").expanduser()
        database_url = env.get("BRICKYARD_DATABASE_URL") or f"sqlite:///{home / 'brickyard.db'}"
        settings = cls(home=home.resolve(), database_url=database_url)
        if value := env.get("BRICKYARD_MAX_PARALLEL_TASKS"):
            settings = replace(settings, max_parallel_tasks=max(1, int(value)))
        if value := env.get("BRICKYARD_FORK_SERVER"):
            settings = replace(settings, use_fork_server=value.lower() not in {"0", "false", "no"})
        if value := env.get("BRICKYARD_FILE_ARRIVAL_POLL_SECONDS"):
            settings = replace(settings, file_arrival_poll_seconds=max(0.1, float(value)))
        if value := env.get("BRICKYARD_BASE_URL"):
            settings = replace(settings, base_url=value.rstrip("/"))
        if value := env.get("BRICKYARD_SPARK_MASTER"):
            settings = replace(settings, spark_master=value)
        if value := env.get("BRICKYARD_MAVEN_REPOSITORIES"):
            repositories = tuple(part.strip() for part in value.split(",") if part.strip())
            settings = replace(settings, maven_repositories=repositories)
        return settings
