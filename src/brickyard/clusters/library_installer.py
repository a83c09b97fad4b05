"""Installing a library on a cluster (the Libraries API's ``install``, a job cluster's task
libraries).

Python libraries (PyPI, wheels, requirements files) are installed with pip into the cached
environment of that library set, so a failure carries pip's own message; a ``jar`` must exist
where its path points; ``maven`` coordinates are resolved with Spark's own resolver (Ivy, see
:mod:`brickyard.compute.spark.maven`) into the brickyard home's cache. What cannot run here
fails with the reason: CRAN (brickyard runs no R) and eggs (pip cannot install them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.spark.installation import find_spark
from brickyard.compute.spark.jar_libraries import library_jars
from brickyard.errors import LibraryInstallationError, SparkUnavailableError
from brickyard.settings import Settings
from brickyard.spec import Library


class ClusterLibraryInstaller:
    """Installs libraries for clusters under ``settings``."""

    def __init__(self, settings: Settings, environments: EnvironmentCache) -> None:
        self._settings = settings
        self._environments = environments

    def install(self, cluster_id: str, library: Mapping[str, Any]) -> Sequence[Path]:
        """Install ``library``; the jars it puts on the classpath."""
        parsed = Library.model_validate(dict(library))
        if parsed.cran is not None:
            raise LibraryInstallationError(
                f"CRAN package {parsed.cran.package!r}: brickyard runs Python, SQL and JVM code, "
                "not R"
            )
        if parsed.jar is not None or parsed.maven is not None:
            try:
                installation = find_spark()
            except SparkUnavailableError as error:
                raise LibraryInstallationError(str(error)) from None
            jars = library_jars(
                [parsed], base_dir=None, settings=self._settings, installation=installation
            )
            return jars.all_jars
        self._environments.ensure([parsed], base_dir=None, settings=self._settings)
        return ()
