"""The classpath a task's ``libraries`` make: its ``jar`` files and its resolved ``maven``
libraries, as local jar paths in the order the libraries are listed.

A ``jar`` is found where every other library path is (``compute.paths.resolve_local_path``:
``dbfs:/``, ``/Volumes/``, workspace paths, local files relative to the job file), so a jar
uploaded through the DBFS or Files API is the one the task runs. Python libraries (``whl``,
``pypi``, ``requirements``) are the Python environment's business and are left alone here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from brickyard.compute.paths import resolve_local_path
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.maven import resolve_maven
from brickyard.errors import InvalidInputError, LibraryInstallationError, NotFoundError
from brickyard.settings import Settings
from brickyard.spec import Library
from brickyard.workspace import Workspace


@dataclass(frozen=True)
class LibraryJars:
    """The jars of a task's libraries: ``jar`` libraries first-listed-first, each maven
    library followed by its dependencies; ``notes`` say what was skipped."""

    jar_files: tuple[Path, ...]
    """The ``jar`` libraries, in order (the candidates for a JAR task's primary jar)."""
    maven_jars: tuple[Path, ...]
    notes: tuple[str, ...] = ()

    @property
    def all_jars(self) -> tuple[Path, ...]:
        """Every jar once, ``jar`` libraries first."""
        return tuple(dict.fromkeys([*self.jar_files, *self.maven_jars]))


def library_jars(
    libraries: Sequence[Library],
    *,
    base_dir: Path | None,
    settings: Settings,
    installation: SparkInstallation,
) -> LibraryJars:
    """The local jars of ``libraries``.

    Raises :class:`LibraryInstallationError` naming the library and the path looked at (a
    missing jar) or the coordinate and repositories (an unresolvable maven library).
    """
    workspace = Workspace(settings.workspace_root)
    jar_files: list[Path] = []
    maven_jars: list[Path] = []
    notes: list[str] = []
    for library in libraries:
        if library.jar is not None:
            jar_files.append(local_jar(library.jar, base_dir, settings, workspace))
        if library.maven is not None:
            try:
                resolved = resolve_maven(
                    library.maven,
                    installation=installation,
                    spark_root=settings.spark_root,
                    default_repositories=settings.maven_repositories,
                )
            except InvalidInputError as error:
                raise LibraryInstallationError(str(error)) from error
            # one artifact once, even when two libraries depend on it (same retrieved name)
            known = {jar.name for jar in maven_jars}
            maven_jars.extend(jar for jar in resolved.jars if jar.name not in known)
            notes.extend(resolved.notes)
    return LibraryJars(tuple(jar_files), tuple(maven_jars), tuple(notes))


def local_jar(path: str, base_dir: Path | None, settings: Settings, workspace: Workspace) -> Path:
    """The jar file a ``jar`` library names; LibraryInstallationError when it is not there."""
    try:
        found = resolve_local_path(path, base_dir=base_dir, settings=settings, workspace=workspace)
    except (NotFoundError, InvalidInputError) as error:
        raise LibraryInstallationError(f"jar library {path!r}: {error}") from error
    return found
