"""EnvironmentCache with real venvs and real pip (local wheels only: no network)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from brickyard.compute.environments import (
    BASE_ENVIRONMENT_KEY,
    READY_MARKER,
    EnvironmentCache,
    PythonEnvironment,
)
from brickyard.errors import LibraryInstallationError
from brickyard.settings import Settings
from brickyard.spec import Library, MavenLibrary, PythonPyPiLibrary, RCranLibrary

WheelBuilder = Callable[..., Path]


@pytest.fixture
def cache(settings: Settings) -> EnvironmentCache:
    return EnvironmentCache(settings.environments_root, sys.executable)


def run_in(environment: PythonEnvironment, code: str) -> str:
    result = subprocess.run(
        [environment.python, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_no_python_libraries_means_the_base_interpreter(
    cache: EnvironmentCache, settings: Settings
) -> None:
    libraries = [
        Library(jar="dbfs:/jars/x.jar"),
        Library(maven=MavenLibrary(coordinates="org.x:y:1.0")),
        Library(cran=RCranLibrary(package="ggplot2")),
    ]
    for chosen in ([], libraries):
        environment = cache.ensure(chosen, base_dir=None, settings=settings)
        assert environment == PythonEnvironment(BASE_ENVIRONMENT_KEY, sys.executable, ())
    assert not settings.environments_root.exists()


def test_wheel_is_installed_on_top_of_the_brickyard_packages(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    wheel = wheel_builder(tmp_path / "dist", "tinylib_one", module_source="VALUE = 42\n")

    environment = cache.ensure([Library(whl=str(wheel))], base_dir=None, settings=settings)

    assert Path(environment.python).is_file()
    assert environment.key != BASE_ENVIRONMENT_KEY
    (site_packages,) = environment.site_packages
    assert (Path(site_packages) / "tinylib_one" / "__init__.py").is_file()
    # The library, the brickyard package and the brickyard interpreter's own packages (pandas).
    assert (
        run_in(environment, "import tinylib_one, brickyard, pandas; print(tinylib_one.VALUE)")
        == "42"
    )
    assert (settings.environments_root / environment.key / READY_MARKER).is_file()


def test_reuse_is_instant_and_keeps_the_key(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    wheel = wheel_builder(tmp_path / "dist", "tinylib_two")
    libraries = [Library(whl=str(wheel)), Library(jar="x.jar")]
    first = cache.ensure(libraries, base_dir=None, settings=settings)

    started = time.perf_counter()
    again = cache.ensure(list(reversed(libraries)), base_dir=None, settings=settings)
    elsewhere = EnvironmentCache(settings.environments_root, sys.executable).ensure(
        libraries, base_dir=None, settings=settings
    )
    assert time.perf_counter() - started < 0.5
    assert again == first == elsewhere
    assert cache.builds == 1


def test_key_follows_the_wheel_contents(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    wheel = wheel_builder(tmp_path / "dist", "tinylib_three", module_source="VALUE = 1\n")
    first = cache.ensure([Library(whl=str(wheel))], base_dir=None, settings=settings)
    wheel_builder(tmp_path / "dist", "tinylib_three", module_source="VALUE = 2\n")
    second = cache.ensure([Library(whl=str(wheel))], base_dir=None, settings=settings)
    assert first.key != second.key
    assert run_in(second, "import tinylib_three; print(tinylib_three.VALUE)") == "2"


def test_relative_dbfs_and_volume_paths(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    job_dir = tmp_path / "job"
    wheel_builder(job_dir / "dist", "tinylib_rel")
    wheel_builder(settings.dbfs_root / "libs", "tinylib_dbfs")
    wheel_builder(settings.volumes_root / "main" / "default" / "libs", "tinylib_vol")
    libraries = [
        Library(whl="dist/tinylib_rel-0.1.0-py3-none-any.whl"),
        Library(whl="dbfs:/libs/tinylib_dbfs-0.1.0-py3-none-any.whl"),
        Library(whl="/Volumes/main/default/libs/tinylib_vol-0.1.0-py3-none-any.whl"),
    ]
    environment = cache.ensure(libraries, base_dir=job_dir, settings=settings)
    assert run_in(environment, "import tinylib_rel, tinylib_dbfs, tinylib_vol; print('ok')") == "ok"


def test_requirements_file_with_a_local_find_links(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    wheels = tmp_path / "wheels"
    wheel_builder(wheels, "tinylib_req", version="1.2.0")
    job_dir = tmp_path / "job"
    job_dir.mkdir()
    (job_dir / "requirements.txt").write_text(
        f"--no-index\n--find-links {wheels}\ntinylib_req==1.2.0\n"
    )
    environment = cache.ensure(
        [Library(requirements="requirements.txt")], base_dir=job_dir, settings=settings
    )
    assert run_in(
        environment, "import importlib.metadata as m; print(m.version('tinylib_req'))"
    ) == ("1.2.0")


def test_pypi_failure_carries_pips_message_and_leaves_nothing(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path
) -> None:
    empty_index = tmp_path / "index"
    empty_index.mkdir()
    library = Library(
        pypi=PythonPyPiLibrary(package="no-such-package-xyz==1.0", repo=empty_index.as_uri())
    )
    with pytest.raises(LibraryInstallationError) as raised:
        cache.ensure([library], base_dir=None, settings=settings)
    message = str(raised.value)
    assert "ERROR:" in message
    assert "no-such-package-xyz" in message
    assert [p for p in settings.environments_root.iterdir() if p.is_dir()] == []
    assert cache.builds == 0


def test_missing_local_wheel_names_the_path(
    cache: EnvironmentCache, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(LibraryInstallationError, match=r"missing-0\.1-py3-none-any\.whl"):
        cache.ensure(
            [Library(whl="dist/missing-0.1-py3-none-any.whl")], base_dir=tmp_path, settings=settings
        )


def test_egg_is_refused(cache: EnvironmentCache, settings: Settings) -> None:
    with pytest.raises(
        LibraryInstallationError, match="egg libraries are not supported; use a wheel"
    ):
        cache.ensure([Library(egg="dbfs:/x.egg")], base_dir=None, settings=settings)


def test_remote_wheel_uri_is_refused(cache: EnvironmentCache, settings: Settings) -> None:
    with pytest.raises(LibraryInstallationError, match=r"s3://bucket/x\.whl"):
        cache.ensure([Library(whl="s3://bucket/x.whl")], base_dir=None, settings=settings)


def test_concurrent_ensures_build_once(
    settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    wheel = wheel_builder(tmp_path / "dist", "tinylib_race")
    # Two caches (as two orchestrator processes would have): only the file lock serialises them.
    caches = [EnvironmentCache(settings.environments_root, sys.executable) for _ in range(2)]
    results: list[PythonEnvironment] = []
    errors: list[BaseException] = []

    def ensure(cache: EnvironmentCache) -> None:
        try:
            results.append(
                cache.ensure([Library(whl=str(wheel))], base_dir=None, settings=settings)
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ensure, args=(cache,)) for cache in caches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results[0] == results[1]
    assert sum(cache.builds for cache in caches) == 1


def test_half_built_environment_is_rebuilt(
    settings: Settings, tmp_path: Path, wheel_builder: WheelBuilder
) -> None:
    wheel = wheel_builder(tmp_path / "dist", "tinylib_broken")
    libraries = [Library(whl=str(wheel))]
    built = EnvironmentCache(settings.environments_root, sys.executable).ensure(
        libraries, base_dir=None, settings=settings
    )
    folder = settings.environments_root / built.key
    (folder / READY_MARKER).unlink()  # as if the build had died before finishing
    (folder / "leftover").write_text("junk")

    cache = EnvironmentCache(settings.environments_root, sys.executable)
    again = cache.ensure(libraries, base_dir=None, settings=settings)

    assert again == built
    assert cache.builds == 1
    assert not (folder / "leftover").exists()
    assert run_in(again, "import tinylib_broken; print('ok')") == "ok"
