"""A cluster service over a fresh SQLite store and real cluster processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard import storage
from brickyard.clock import FakeClock
from brickyard.clusters import ClusterService
from brickyard.clusters.library_installer import ClusterLibraryInstaller
from brickyard.compute.environments import EnvironmentCache
from brickyard.settings import Settings
from support.cluster_runtime import ProcessClusterRuntime


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"BRICKYARD_HOME": str(tmp_path / "home")})


@pytest.fixture
def database(settings: Settings) -> Iterator[storage.Database]:
    settings.home.mkdir(parents=True, exist_ok=True)
    db = storage.Database.open(settings.database_url)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def runtime() -> Iterator[ProcessClusterRuntime]:
    processes = ProcessClusterRuntime()
    yield processes
    processes.close()


@pytest.fixture
def service(
    database: storage.Database,
    clock: FakeClock,
    runtime: ProcessClusterRuntime,
    settings: Settings,
) -> Iterator[ClusterService]:
    environments = EnvironmentCache(settings.environments_root, settings.python_executable)
    clusters = ClusterService(
        database, clock, runtime, ClusterLibraryInstaller(settings, environments)
    )
    yield clusters
    clusters.close()
