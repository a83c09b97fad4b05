"""The jars of a task's libraries: jar files from DBFS, volumes, the workspace and the job
folder, and maven libraries resolved from a real file repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.jar_libraries import library_jars
from brickyard.errors import LibraryInstallationError
from brickyard.settings import Settings
from brickyard.spec import Library
from support.maven_repo import MavenRepo, greeter_repo
from support.spark import spark_or_skip


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    found = spark_or_skip()
    if found.javac is None:
        pytest.skip(f"{found.java} has no javac next to it (a JDK builds the test repository)")
    return found


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", database_url="sqlite://")


def put(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip: a jar with no entries
    return path


def test_jar_libraries_are_found_where_every_library_path_is(
    installation: SparkInstallation, settings: Settings, tmp_path: Path
) -> None:
    dbfs = put(settings.dbfs_root / "libs" / "a.jar")
    volume = put(settings.volumes_root / "main" / "raw" / "libs" / "b.jar")
    workspace = put(settings.workspace_root / "Users" / "me" / "c.jar")
    relative = put(tmp_path / "job" / "lib" / "d.jar")
    libraries = [
        Library(jar="dbfs:/libs/a.jar"),
        Library(jar="/Volumes/main/raw/libs/b.jar"),
        Library(jar="/Workspace/Users/me/c.jar"),
        Library(jar="lib/d.jar"),
        Library(pypi={"package": "requests"}),  # a Python library: not on the classpath
    ]
    jars = library_jars(
        libraries, base_dir=tmp_path / "job", settings=settings, installation=installation
    )
    assert jars.jar_files == (dbfs, volume, workspace, relative.absolute())
    assert jars.maven_jars == () and jars.all_jars == jars.jar_files


def test_a_missing_jar_names_the_library_and_the_place_looked_at(
    installation: SparkInstallation, settings: Settings
) -> None:
    with pytest.raises(LibraryInstallationError) as raised:
        library_jars(
            [Library(jar="dbfs:/libs/gone.jar")],
            base_dir=None,
            settings=settings,
            installation=installation,
        )
    assert str(raised.value) == (
        "jar library 'dbfs:/libs/gone.jar': file 'dbfs:/libs/gone.jar' not found; "
        f"looked at {settings.dbfs_root / 'libs' / 'gone.jar'}"
    )


def test_maven_libraries_bring_their_dependencies(
    installation: SparkInstallation,
    settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    assert installation.javac is not None
    repo: MavenRepo = greeter_repo(tmp_path_factory.mktemp("m2"), javac=installation.javac)
    jars = library_jars(
        [
            Library(maven={"coordinates": "com.example:greeter:1.0", "repo": repo.url}),
            Library(maven={"coordinates": "com.example:words:1.0", "repo": repo.url}),
        ],
        base_dir=None,
        settings=settings,
        installation=installation,
    )
    # words comes with greeter and on its own: on the classpath once
    assert [jar.name for jar in jars.maven_jars] == [
        "com.example_greeter-1.0.jar",
        "com.example_words-1.0.jar",
    ]
    assert all(jar.is_file() for jar in jars.maven_jars)


def test_malformed_maven_coordinates_are_a_library_error(
    installation: SparkInstallation, settings: Settings
) -> None:
    with pytest.raises(LibraryInstallationError, match="group:artifact:version"):
        library_jars(
            [Library(maven={"coordinates": "just-a-name"})],
            base_dir=None,
            settings=settings,
            installation=installation,
        )
