"""Cached Python environments, one per distinct set of task libraries.

The brickyard interpreter plays the Databricks Runtime: pandas and friends are there, and a
task's ``libraries`` are layered on top in a virtual environment that sees the brickyard
interpreter's packages too. Creating an environment and installing into it takes seconds, so
each one is built once, under ``<root>/<key>``, and reused by every task with the same library
set (the key hashes the canonical library list, the contents of local wheel and requirements
files, and the interpreter).

Builds are safe across threads and processes: a file lock per key, a ready marker written last,
and a half-built environment (a crash mid-build) is removed and built again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import site
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from brickyard.compute.file_locks import exclusive_lock
from brickyard.compute.paths import resolve_local_path
from brickyard.errors import InvalidInputError, LibraryInstallationError, NotFoundError
from brickyard.settings import Settings
from brickyard.spec import Library
from brickyard.workspace import Workspace

BASE_ENVIRONMENT_KEY = "base"
"""The key of the brickyard interpreter itself (a task without Python libraries)."""

READY_MARKER = "brickyard-environment.json"
"""Written last into a finished environment: its description, and the proof it is complete."""

BASE_PACKAGES_PTH = "_brickyard_base.pth"
"""Makes the brickyard interpreter's own packages visible inside the environment."""

_KEY_LENGTH = 24
_PIP_ERROR_LINES = 20


@dataclass(frozen=True)
class PythonEnvironment:
    """An interpreter with a task's libraries: ``python`` runs it directly; a forked task puts
    ``site_packages`` first on its ``sys.path`` instead."""

    key: str
    python: str
    site_packages: tuple[str, ...]


@dataclass(frozen=True)
class _PipGroup:
    """Requirements installed by one ``pip install`` (one index URL per call)."""

    index_url: str | None
    args: tuple[str, ...]


@dataclass
class _InstallPlan:
    """What to install, and what identifies it (for the cache key)."""

    identity: list[str] = field(default_factory=list)
    by_index: dict[str | None, list[str]] = field(default_factory=dict)

    def add(self, identity: str, args: Sequence[str], index_url: str | None = None) -> None:
        if identity in self.identity:
            return
        self.identity.append(identity)
        self.by_index.setdefault(index_url, []).extend(args)

    def groups(self) -> list[_PipGroup]:
        # The default index first, then each custom repo in a stable order.
        ordered = sorted(self.by_index.items(), key=lambda item: (item[0] is not None, item[0]))
        return [_PipGroup(index_url, tuple(args)) for index_url, args in ordered]


@dataclass(frozen=True)
class _Interpreter:
    """What the cache key and the environment need to know about the base interpreter."""

    executable: str
    version: str
    site_packages: tuple[str, ...]


class EnvironmentCache:
    """Builds and reuses the library environments of task processes under ``root``."""

    def __init__(self, root: Path, python: str) -> None:
        self.root = Path(root)
        self.python = python
        self.builds = 0
        """How many environments this cache has built (reuse does not count)."""
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._interpreter: _Interpreter | None = None
        self._ready: dict[str, PythonEnvironment] = {}

    def ensure(
        self, libraries: Sequence[Library], *, base_dir: Path | None, settings: Settings
    ) -> PythonEnvironment:
        """The environment with ``libraries`` installed, built on first use.

        Raises :class:`LibraryInstallationError` (with pip's own error lines) when a library
        cannot be found or installed.
        """
        plan = self._plan(libraries, base_dir=base_dir, settings=settings)
        if not plan.identity:
            return PythonEnvironment(BASE_ENVIRONMENT_KEY, self.python, ())
        interpreter = self._base_interpreter()
        key = self._key(plan, interpreter)
        if (known := self._ready.get(key)) is not None:
            return known
        with self._key_lock(key), self._file_lock(key):
            environment = self._read_ready(key) or self._build(key, plan, interpreter, base_dir)
        self._ready[key] = environment
        return environment

    # -- planning --------------------------------------------------------------------------

    def _plan(
        self, libraries: Sequence[Library], *, base_dir: Path | None, settings: Settings
    ) -> _InstallPlan:
        plan = _InstallPlan()
        workspace = Workspace(settings.workspace_root)
        for library in libraries:
            if library.egg is not None:
                raise LibraryInstallationError(
                    f"library {library.egg!r}: egg libraries are not supported; use a wheel"
                )
            if library.pypi is not None:
                requirement = library.pypi.package.strip()
                repo = library.pypi.repo or None
                plan.add(f"pypi:{requirement}@{repo or ''}", [requirement], repo)
            if library.whl is not None:
                if library.whl.lower().startswith(("http://", "https://")):
                    plan.add(f"whl:{library.whl}", [library.whl])
                else:
                    wheel = self._local_file("wheel", library.whl, base_dir, settings, workspace)
                    plan.add(f"whl:{wheel.name}:{_file_digest(wheel)}", [str(wheel)])
            if library.requirements is not None:
                requirements = self._local_file(
                    "requirements file", library.requirements, base_dir, settings, workspace
                )
                plan.add(f"requirements:{_file_digest(requirements)}", ["-r", str(requirements)])
            # jar, maven and cran libraries are not Python libraries: nothing to install here.
        return plan

    @staticmethod
    def _local_file(
        what: str, path: str, base_dir: Path | None, settings: Settings, workspace: Workspace
    ) -> Path:
        try:
            return resolve_local_path(
                path, base_dir=base_dir, settings=settings, workspace=workspace
            )
        except (NotFoundError, InvalidInputError) as exc:
            raise LibraryInstallationError(f"{what} library {path!r}: {exc}") from exc

    def _key(self, plan: _InstallPlan, interpreter: _Interpreter) -> str:
        identity = {
            "libraries": sorted(plan.identity),
            "python": interpreter.executable,
            "version": interpreter.version,
        }
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
        return digest[:_KEY_LENGTH]

    def _base_interpreter(self) -> _Interpreter:
        if self._interpreter is None and Path(self.python).absolute() == Path(sys.executable):
            self._interpreter = _Interpreter(
                executable=str(Path(sys.executable).absolute()),
                version=sys.version,
                site_packages=tuple(site.getsitepackages()),
            )
        if self._interpreter is None:
            probe = (
                "import json, site, sys; "
                "print(json.dumps([sys.executable, sys.version, site.getsitepackages()]))"
            )
            try:
                output = subprocess.run(
                    [self.python, "-c", probe], capture_output=True, text=True, check=True
                ).stdout
            except (OSError, subprocess.CalledProcessError) as exc:
                raise LibraryInstallationError(
                    f"the interpreter {self.python} cannot build library environments: {exc}"
                ) from exc
            executable, version, site_packages = json.loads(output)
            self._interpreter = _Interpreter(
                executable=str(Path(executable).absolute()),
                version=version,
                site_packages=tuple(site_packages),
            )
        return self._interpreter

    # -- locking ---------------------------------------------------------------------------

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    @contextlib.contextmanager
    def _file_lock(self, key: str) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.root / f"{key}.lock"):
            yield

    # -- building --------------------------------------------------------------------------

    def _read_ready(self, key: str) -> PythonEnvironment | None:
        marker = self.root / key / READY_MARKER
        try:
            described = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return PythonEnvironment(
            key=key, python=described["python"], site_packages=tuple(described["site_packages"])
        )

    def _build(
        self, key: str, plan: _InstallPlan, interpreter: _Interpreter, base_dir: Path | None
    ) -> PythonEnvironment:
        folder = self.root / key
        if folder.exists():  # a build that died half-way: start again from nothing
            shutil.rmtree(folder)
        try:
            environment = self._create(key, folder, interpreter)
            cwd = base_dir if base_dir is not None and base_dir.is_dir() else folder
            for group in plan.groups():
                self._pip_install(environment, group, cwd=cwd, log=folder / "pip.log")
            self._write_ready(folder, environment, plan)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self.builds += 1
        return environment

    def _create(self, key: str, folder: Path, interpreter: _Interpreter) -> PythonEnvironment:
        # No pip of its own (ensurepip takes seconds): the brickyard interpreter's pip is
        # visible through the base-packages .pth file and installs into this environment.
        # No --system-site-packages: from inside a venv that would add the BASE interpreter's
        # packages, which pip then takes as installed but a task forked from the brickyard
        # interpreter does not see (great-expectations' pyparsing, found only there, was
        # missing at run time). The .pth file below is the one way the base packages come in.
        _run_checked(
            [self.python, "-m", "venv", "--without-pip", str(folder)],
            what="creating the library environment",
        )
        python = folder / "bin" / "python"
        purelib = _run_checked(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            what="inspecting the library environment",
        ).strip()
        # A venv made from inside a venv would see only the BASE interpreter's packages; this
        # makes the brickyard interpreter's packages (and their .pth files) visible, after the
        # environment's own.
        lines = [f"import site; site.addsitedir({path!r})" for path in interpreter.site_packages]
        (Path(purelib) / BASE_PACKAGES_PTH).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return PythonEnvironment(key=key, python=str(python), site_packages=(purelib,))

    @staticmethod
    def _pip_install(
        environment: PythonEnvironment, group: _PipGroup, *, cwd: Path, log: Path
    ) -> None:
        argv = [
            environment.python,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
        ]
        if group.index_url is not None:
            argv += ["--index-url", group.index_url]
        argv += group.args
        result = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, check=False)
        with log.open("a", encoding="utf-8") as pip_log:
            pip_log.write(f"$ {' '.join(argv)}\n{result.stdout}{result.stderr}\n")
        if result.returncode != 0:
            raise LibraryInstallationError(
                f"installing {' '.join(group.args)} failed: {_pip_errors(result)}"
            )

    @staticmethod
    def _write_ready(folder: Path, environment: PythonEnvironment, plan: _InstallPlan) -> None:
        described = {
            "version": 1,
            "key": environment.key,
            "python": environment.python,
            "site_packages": list(environment.site_packages),
            "libraries": plan.identity,
        }
        temporary = folder / f".{READY_MARKER}.tmp"
        temporary.write_text(json.dumps(described, indent=2), encoding="utf-8")
        temporary.replace(folder / READY_MARKER)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pip_errors(result: subprocess.CompletedProcess[str]) -> str:
    """pip's own ``ERROR:`` lines, or the end of its output when it printed none."""
    lines = [line.strip() for line in (result.stderr + result.stdout).splitlines()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    chosen = errors or [line for line in lines if line][-_PIP_ERROR_LINES:]
    return " | ".join(chosen) or f"pip exited with code {result.returncode}"


def _run_checked(argv: list[str], *, what: str) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise LibraryInstallationError(f"{what} failed: {exc}") from exc
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise LibraryInstallationError(f"{what} failed: {' | '.join(output[-_PIP_ERROR_LINES:])}")
    return result.stdout
