"""Maven libraries resolved by a real Ivy (the one pyspark ships) from a real file repository
built by the test: transitive dependencies, exclusions, the cache, and Ivy's own errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.maven import distribution_modules, ivy_problems, resolve_maven
from brickyard.errors import InvalidInputError, LibraryInstallationError
from brickyard.spec import MavenLibrary
from support.maven_repo import WORDS, Artifact, MavenRepo, build_repo, greeter_repo
from support.spark import spark_or_skip


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    found = spark_or_skip()
    if found.javac is None:
        pytest.skip(f"{found.java} has no javac next to it (a JDK builds the test repository)")
    return found


@pytest.fixture(scope="module")
def repo(installation: SparkInstallation, tmp_path_factory: pytest.TempPathFactory) -> MavenRepo:
    assert installation.javac is not None
    return greeter_repo(tmp_path_factory.mktemp("maven") / "repo", javac=installation.javac)


def resolve(
    installation: SparkInstallation,
    spark_root: Path,
    library: MavenLibrary,
    repositories: tuple[str, ...] = (),
) -> list[str]:
    resolved = resolve_maven(
        library,
        installation=installation,
        spark_root=spark_root,
        default_repositories=repositories,
    )
    assert all(jar.is_file() for jar in resolved.jars)
    return sorted(jar.name for jar in resolved.jars)


def test_transitive_dependencies_come_with_the_library(
    installation: SparkInstallation, repo: MavenRepo, tmp_path: Path
) -> None:
    library = MavenLibrary(coordinates="com.example:greeter:1.0", repo=repo.url)
    assert resolve(installation, tmp_path, library) == [
        "com.example_greeter-1.0.jar",
        "com.example_words-1.0.jar",
    ]


def test_exclusions_leave_a_dependency_out(
    installation: SparkInstallation, repo: MavenRepo, tmp_path: Path
) -> None:
    library = MavenLibrary(
        coordinates="com.example:greeter:1.0", repo=repo.url, exclusions=["com.example:words"]
    )
    assert resolve(installation, tmp_path, library) == ["com.example_greeter-1.0.jar"]


def test_the_configured_repositories_are_used_when_the_library_names_none(
    installation: SparkInstallation, repo: MavenRepo, tmp_path: Path
) -> None:
    library = MavenLibrary(coordinates="com.example:words:1.0")
    missing = (tmp_path / "no-such-repo").as_uri()
    assert resolve(installation, tmp_path, library, (missing, repo.url)) == [
        "com.example_words-1.0.jar"
    ]


def test_a_second_resolve_is_read_from_the_cache(
    installation: SparkInstallation, repo: MavenRepo, tmp_path: Path
) -> None:
    library = MavenLibrary(coordinates="com.example:greeter:1.0", repo=repo.url)
    first = resolve(installation, tmp_path, library)
    started = time.monotonic()
    assert resolve(installation, tmp_path, library) == first
    assert time.monotonic() - started < 0.2  # no JVM: one marker file read
    folders = [p for p in (tmp_path / "maven").iterdir() if (p / "resolved.json").is_file()]
    assert len(folders) == 1


def test_an_unknown_coordinate_fails_with_ivys_message_and_the_repositories(
    installation: SparkInstallation, repo: MavenRepo, tmp_path: Path
) -> None:
    library = MavenLibrary(coordinates="com.example:nope:2.0", repo=repo.url)
    with pytest.raises(LibraryInstallationError) as raised:
        resolve(installation, tmp_path, library)
    message = str(raised.value)
    assert message.startswith("maven library com.example:nope:2.0: ")
    assert "unresolved dependency: com.example#nope;2.0: not found" in message
    assert f"repositories tried: {repo.url}/" in message
    assert not any((tmp_path / "maven").glob("*/resolved.json"))  # nothing cached


def test_spark_modules_of_the_distribution_are_skipped_with_a_note(
    installation: SparkInstallation, tmp_path: Path
) -> None:
    assert "spark-sql_2.13" in distribution_modules(installation)
    resolved = resolve_maven(
        MavenLibrary(coordinates="org.apache.spark:spark-sql_2.13:3.5.0"),
        installation=installation,
        spark_root=tmp_path,
        default_repositories=("https://repo1.maven.org/maven2",),
    )
    assert resolved.jars == ()
    assert "skipped" in resolved.notes[0] and "spark-sql_2.13" in resolved.notes[0]


def test_spark_modules_for_another_scala_version_are_skipped_too(
    installation: SparkInstallation, tmp_path: Path
) -> None:
    resolved = resolve_maven(
        MavenLibrary(coordinates="org.apache.spark:spark-sql_2.12:3.0.1"),
        installation=installation,
        spark_root=tmp_path,
        default_repositories=("https://repo1.maven.org/maven2",),
    )
    assert resolved.jars == ()
    assert resolved.notes == (
        f"maven library org.apache.spark:spark-sql_2.12:3.0.1: skipped, Spark "
        f"{installation.spark_version} ships spark-sql_2.13 already",
    )


@pytest.mark.parametrize("coordinates", ["com.example:greeter", "a:b:c:d", "a::1"])
def test_malformed_coordinates_are_refused(
    installation: SparkInstallation, tmp_path: Path, coordinates: str
) -> None:
    with pytest.raises(InvalidInputError, match="group:artifact:version"):
        resolve(installation, tmp_path, MavenLibrary(coordinates=coordinates), ("file:///x",))


def test_ivy_problems_without_a_summary_keep_the_last_lines() -> None:
    assert ivy_problems("a\nb\n\nc\n") == "a | b | c"


def test_spark_modules_a_library_depends_on_come_from_the_distribution(
    installation: SparkInstallation, tmp_path: Path
) -> None:
    assert installation.javac is not None
    spark_sql = f"org.apache.spark:spark-sql_2.13:{installation.spark_version}"
    plugin = Artifact(
        group="com.example",
        artifact="plugin",
        version="1.0",
        sources={
            "com/example/plugin/Plugin.java": "package com.example.plugin;\nclass Plugin {}\n"
        },
        external=(spark_sql,),  # not in the file repository: resolving it would fail
    )
    repo = build_repo(tmp_path / "repo", [WORDS, plugin], javac=installation.javac)
    library = MavenLibrary(coordinates="com.example:plugin:1.0", repo=repo.url)
    assert resolve(installation, tmp_path / "spark", library) == ["com.example_plugin-1.0.jar"]
