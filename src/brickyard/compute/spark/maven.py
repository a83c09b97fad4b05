"""``maven`` libraries: coordinates resolved to jars with Spark's own resolver, Apache Ivy.

Ivy ships in pyspark's jars folder (the resolver behind ``spark-submit --packages``); it runs
here standalone, as a subprocess (``java -cp ivy.jar org.apache.ivy.Main``), with settings
and an ``ivy.xml`` written for each library: one chain of Maven-layout resolvers (the
library's ``repo``, else the configured repositories, Maven Central by default), the
library's ``exclusions``, and Spark's own modules excluded (the distribution has them, as
``spark-submit --packages`` excludes them too).

Each library's jars are kept under ``<spark_root>/maven/<key>/`` (the key hashes coordinates,
repositories, exclusions and the Spark version) with ``resolved.json`` written last as the
proof the folder is complete, so a second resolve of the same library reads one file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from brickyard.compute.file_locks import exclusive_lock
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.errors import InvalidInputError, LibraryInstallationError
from brickyard.spec import MavenLibrary

SPARK_GROUP = "org.apache.spark"
RESOLVED_MARKER = "resolved.json"
IVY_MAIN = "org.apache.ivy.Main"
RESOLVE_TIMEOUT_SECONDS = 900.0
"""A whole resolve (a large library from a slow mirror) that takes longer is reported as
failed rather than waited on forever."""
CONNECTION_TIMEOUT_MS = 15_000
READ_TIMEOUT_MS = 60_000
"""A repository that does not answer (no route to it) fails the resolve in seconds."""
_KEY_LENGTH = 24
_RETRIEVE_PATTERN = "[organisation]_[artifact]-[revision](-[classifier]).[ext]"


@dataclass(frozen=True)
class Coordinates:
    """``group:artifact:version``."""

    group: str
    artifact: str
    version: str

    @classmethod
    def parse(cls, text: str) -> Coordinates:
        """Parse ``group:artifact:version``; raises :class:`InvalidInputError` naming it."""
        parts = [part.strip() for part in text.strip().split(":")]
        if len(parts) != 3 or not all(parts):
            raise InvalidInputError(
                f"maven coordinates {text!r} are not group:artifact:version "
                "(for example com.databricks:spark-xml_2.13:0.18.0)"
            )
        return cls(*parts)

    def __str__(self) -> str:
        return f"{self.group}:{self.artifact}:{self.version}"


@dataclass(frozen=True)
class Exclusion:
    """``group:artifact`` left out of a library's dependencies (``*`` for any)."""

    group: str
    artifact: str

    @classmethod
    def parse(cls, text: str) -> Exclusion:
        """Parse ``group:artifact``; raises :class:`InvalidInputError` naming it."""
        parts = [part.strip() for part in text.strip().split(":")]
        if len(parts) != 2 or not all(parts):
            raise InvalidInputError(f"maven exclusion {text!r} is not group:artifact")
        return cls(*parts)


@dataclass(frozen=True)
class ResolvedMaven:
    """One library's jars (its own and its dependencies'), and what the log should say."""

    coordinates: str
    jars: tuple[Path, ...]
    notes: tuple[str, ...] = ()


def resolve_maven(
    library: MavenLibrary,
    *,
    installation: SparkInstallation,
    spark_root: Path,
    default_repositories: Sequence[str],
) -> ResolvedMaven:
    """The jars of ``library``, resolved once and then read from the cache.

    Raises :class:`InvalidInputError` for malformed coordinates and
    :class:`LibraryInstallationError` (with Ivy's own message and the repositories tried)
    when it cannot be resolved.
    """
    coordinates = Coordinates.parse(library.coordinates)
    exclusions = tuple(Exclusion.parse(text) for text in library.exclusions or ())
    spark_modules = distribution_modules(installation)
    shipped = shipped_module(coordinates, spark_modules)
    if shipped is not None:
        return ResolvedMaven(
            str(coordinates),
            (),
            (
                f"maven library {coordinates}: skipped, Spark {installation.spark_version} "
                f"ships {shipped} already",
            ),
        )
    repositories = tuple(
        _normalized(repo) for repo in ([library.repo] if library.repo else default_repositories)
    )
    if not repositories:
        raise LibraryInstallationError(
            f"maven library {coordinates}: no repository to resolve it from "
            "(set the library's repo or BRICKYARD_MAVEN_REPOSITORIES)"
        )
    key = _cache_key(coordinates, repositories, exclusions, installation.spark_version)
    root = spark_root / "maven"
    folder = root / key
    if (found := _read_resolved(folder)) is not None:
        return found
    root.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(root / f"{key}.lock"):
        if (found := _read_resolved(folder)) is not None:  # resolved while this one waited
            return found
        jars = _run_ivy(
            installation,
            coordinates,
            repositories,
            exclusions,
            spark_modules,
            folder=folder,
            ivy_cache=root / "ivy-cache",
        )
    return ResolvedMaven(str(coordinates), jars)


def distribution_modules(installation: SparkInstallation) -> frozenset[str]:
    """The ``org.apache.spark`` artifact ids whose jars the installed Spark ships
    (``spark-sql_2.13`` from ``spark-sql_2.13-4.0.1.jar``)."""
    suffix = f"-{installation.spark_version}.jar"
    return frozenset(
        jar.name.removesuffix(suffix)
        for jar in installation.jars_dir.glob(f"spark-*{suffix}")
        if jar.is_file()
    )


def shipped_module(coordinates: Coordinates, spark_modules: frozenset[str]) -> str | None:
    """The distribution's module that stands for ``coordinates``, if it is one of Spark's own:
    the same artifact, or the same one built for another Scala version (a job written for a
    Scala 2.12 runtime names ``spark-sql_2.12``; this Spark ships ``spark-sql_2.13``)."""
    if coordinates.group != SPARK_GROUP:
        return None
    if coordinates.artifact in spark_modules:
        return coordinates.artifact
    base = _without_scala_suffix(coordinates.artifact)
    return next((m for m in sorted(spark_modules) if _without_scala_suffix(m) == base), None)


def _without_scala_suffix(artifact: str) -> str:
    name, separator, suffix = artifact.rpartition("_")
    return name if separator and suffix.replace(".", "").isdigit() else artifact


def ivy_jar(installation: SparkInstallation) -> Path:
    """Ivy's jar in Spark's jars folder; raises LibraryInstallationError when it is not there."""
    found = sorted(installation.jars_dir.glob("ivy-*.jar"))
    if not found:
        raise LibraryInstallationError(
            f"maven libraries are resolved with Apache Ivy, but {installation.jars_dir} has no "
            "ivy-*.jar (a pyspark-client install cannot resolve them)"
        )
    return found[-1]


def _normalized(repository: str) -> str:
    text = repository.strip()
    if text.startswith("/"):
        text = Path(text).as_uri()
    return text.rstrip("/") + "/"


def _cache_key(
    coordinates: Coordinates,
    repositories: Sequence[str],
    exclusions: Sequence[Exclusion],
    spark_version: str,
) -> str:
    identity = {
        "coordinates": str(coordinates),
        "repositories": list(repositories),
        "exclusions": sorted(f"{e.group}:{e.artifact}" for e in exclusions),
        "spark": spark_version,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode())
    return digest.hexdigest()[:_KEY_LENGTH]


def _read_resolved(folder: Path) -> ResolvedMaven | None:
    try:
        described = json.loads((folder / RESOLVED_MARKER).read_text(encoding="utf-8"))
        jars = tuple(folder / "jars" / name for name in described["jars"])
        return ResolvedMaven(str(described["coordinates"]), jars)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _run_ivy(
    installation: SparkInstallation,
    coordinates: Coordinates,
    repositories: Sequence[str],
    exclusions: Sequence[Exclusion],
    spark_modules: frozenset[str],
    *,
    folder: Path,
    ivy_cache: Path,
) -> tuple[Path, ...]:
    jar = ivy_jar(installation)
    with tempfile.TemporaryDirectory(prefix="brickyard-ivy-") as scratch:
        work = Path(scratch)
        settings_file, module_file = work / "ivysettings.xml", work / "ivy.xml"
        settings_file.write_text(
            ivy_settings(repositories, cache=ivy_cache, resolution_cache=work / "resolution"),
            encoding="utf-8",
        )
        module_file.write_text(
            ivy_module(coordinates, exclusions, spark_modules=spark_modules), encoding="utf-8"
        )
        retrieved = work / "jars"
        argv = [
            str(installation.java),
            f"-Divy.home={ivy_cache.parent / 'ivy-home'}",
            "-cp",
            str(jar),
            IVY_MAIN,
            "-settings",
            str(settings_file),
            "-ivy",
            str(module_file),
            "-confs",
            "default",
            "-retrieve",
            f"{retrieved}/{_RETRIEVE_PATTERN}",
        ]
        try:
            completed = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                cwd=work,
                env=_ivy_environment(installation),
                timeout=RESOLVE_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise LibraryInstallationError(
                f"maven library {coordinates}: resolving it from {', '.join(repositories)} took "
                f"more than {RESOLVE_TIMEOUT_SECONDS:g} s"
            ) from None
        except OSError as error:
            raise LibraryInstallationError(
                f"maven library {coordinates}: cannot run Ivy with {installation.java}: {error}"
            ) from None
        if completed.returncode != 0:
            raise LibraryInstallationError(
                f"maven library {coordinates}: {ivy_problems(completed.stdout + completed.stderr)}"
                f" (repositories tried: {', '.join(repositories)})"
            )
        names = sorted(p.name for p in retrieved.glob("*.jar")) if retrieved.is_dir() else []
        return _install(folder, retrieved, names, coordinates, repositories)


def _install(
    folder: Path,
    retrieved: Path,
    names: Sequence[str],
    coordinates: Coordinates,
    repositories: Sequence[str],
) -> tuple[Path, ...]:
    """Move the retrieved jars into the cache folder, the marker written last."""
    if folder.exists():  # a resolve that died half-way
        shutil.rmtree(folder)
    jars = folder / "jars"
    jars.mkdir(parents=True)
    for name in names:
        shutil.copy2(retrieved / name, jars / name)
    described = {
        "version": 1,
        "coordinates": str(coordinates),
        "repositories": list(repositories),
        "jars": list(names),
    }
    partial = folder / f".{RESOLVED_MARKER}.tmp"
    partial.write_text(json.dumps(described, indent=2), encoding="utf-8")
    partial.replace(folder / RESOLVED_MARKER)
    return tuple(jars / name for name in names)


def _ivy_environment(installation: SparkInstallation) -> dict[str, str]:
    return {**os.environ, **installation.environment()}


def ivy_settings(repositories: Sequence[str], *, cache: Path, resolution_cache: Path) -> str:
    """``ivysettings.xml``: one chain of Maven-layout resolvers, tried in order."""
    resolvers = "".join(
        f'      <ibiblio name={quoteattr(f"repo-{index}")} m2compatible="true" '
        f'usepoms="true" root={quoteattr(url)} timeoutConstraint="brickyard"/>\n'
        for index, url in enumerate(repositories)
    )
    return (
        "<ivysettings>\n"
        '  <settings defaultResolver="brickyard"/>\n'
        f"  <caches defaultCacheDir={quoteattr(str(cache))} "
        f"resolutionCacheDir={quoteattr(str(resolution_cache))} "
        'lockStrategy="artifact-lock-nio"/>\n'
        "  <timeout-constraints>\n"
        f'    <timeout-constraint name="brickyard" connectionTimeout="{CONNECTION_TIMEOUT_MS}" '
        f'readTimeout="{READ_TIMEOUT_MS}"/>\n'
        "  </timeout-constraints>\n"
        "  <resolvers>\n"
        '    <chain name="brickyard" returnFirst="true">\n'
        f"{resolvers}"
        "    </chain>\n"
        "  </resolvers>\n"
        "</ivysettings>\n"
    )


def ivy_module(
    coordinates: Coordinates, exclusions: Sequence[Exclusion], *, spark_modules: frozenset[str]
) -> str:
    """``ivy.xml`` of one library: the dependency with its exclusions, and Spark's own
    modules excluded globally (the distribution already has them)."""
    own = "".join(
        f"      <exclude org={quoteattr(e.group)} module={quoteattr(e.artifact)}/>\n"
        for e in exclusions
    )
    shipped = "".join(
        f"    <exclude org={quoteattr(SPARK_GROUP)} module={quoteattr(module)}/>\n"
        for module in sorted(spark_modules)
    )
    return (
        '<ivy-module version="2.0">\n'
        '  <info organisation="brickyard" module="maven-library"/>\n'
        '  <configurations><conf name="default"/></configurations>\n'
        "  <dependencies>\n"
        f"    <dependency org={quoteattr(coordinates.group)} "
        f"name={quoteattr(coordinates.artifact)} rev={quoteattr(coordinates.version)} "
        'conf="default->default(runtime)">\n'
        f"{own}"
        "    </dependency>\n"
        f"{shipped}"
        "  </dependencies>\n"
        "</ivy-module>\n"
    )


_DECORATION = frozenset({"", "UNRESOLVED DEPENDENCIES", "FAILED DOWNLOADS"})


def ivy_problems(output: str) -> str:
    """Ivy's own account of a failed resolve: the unresolved dependencies and failed
    downloads it lists (``unresolved dependency: com.example#nope;1.0: not found``), else
    its last lines."""
    found: list[str] = []
    section = ""
    for raw in output.splitlines():
        line = raw.strip()
        if not line.startswith("::"):
            continue
        inner = line.strip(":").strip()
        if inner in _DECORATION or inner.startswith("USE VERBOSE"):
            section = inner or section
            continue
        if section == "UNRESOLVED DEPENDENCIES":
            found.append(f"unresolved dependency: {inner}")
        elif section == "FAILED DOWNLOADS":
            found.append(f"failed download: {inner}")
    if found:
        return "; ".join(dict.fromkeys(found))
    tail = [line.strip() for line in output.splitlines() if line.strip()][-5:]
    return " | ".join(tail) or "Ivy failed without output"
