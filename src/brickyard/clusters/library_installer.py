"""Installing a library on an all-purpose cluster (the Libraries API's ``install``).

Python libraries (PyPI, wheels, requirements files) are installed with pip into the cached
environment of that library set, so a failure carries pip's own message; a jar must exist
where its path points. What cannot run here fails with the reason: CRAN (brickyard runs no R)
and eggs (pip cannot install them). Maven coordinates are resolved by the Spark JAR support.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.paths import resolve_local_path
from brickyard.errors import LibraryInstallationError
from brickyard.settings import Settings
from brickyard.spec import Library
from brickyard.workspace import Workspace


class ClusterLibraryInstaller:
    """Installs libraries for clusters under ``settings``."""

    def __init__(self, settings: Settings, environments: EnvironmentCache) -> None:
        self._settings = settings
        self._environments = environments

    def install(self, cluster_id: str, library: Mapping[str, Any]) -> None:
        """Install ``library`` (raises with the reason when it cannot be)."""
        parsed = Library.model_validate(dict(library))
        if parsed.cran is not None:
            raise LibraryInstallationError(
                f"CRAN package {parsed.cran.package!r}: brickyard runs Python, SQL and JVM code, "
                "not R"
            )
        if parsed.jar is not None:
            resolve_local_path(
                parsed.jar,
                base_dir=None,
                settings=self._settings,
                workspace=Workspace(self._settings.workspace_root),
            )
            return
        if parsed.maven is not None:
            raise LibraryInstallationError(
                f"maven {parsed.maven.coordinates}: Maven libraries on all-purpose clusters are "
                "not installed by this brickyard yet (declare them on the task instead)"
            )
        self._environments.ensure([parsed], base_dir=None, settings=self._settings)
