"""Which paths Spark's readers and writers map to the local DBFS and volume folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.runtime.context import RuntimePaths
from brickyard.runtime.spark.storage_paths import local_uri, map_paths


@pytest.fixture
def paths(tmp_path: Path) -> RuntimePaths:
    return RuntimePaths.under_home(tmp_path)


def test_dbfs_and_volume_paths_become_local_file_uris(paths: RuntimePaths) -> None:
    assert local_uri("dbfs:/landing/x.csv", paths) == (paths.dbfs_root / "landing/x.csv").as_uri()
    assert local_uri("/dbfs/landing/x.csv", paths) == (paths.dbfs_root / "landing/x.csv").as_uri()
    assert (
        local_uri("/Volumes/main/raw/f/y", paths) == (paths.volumes_root / "main/raw/f/y").as_uri()
    )


def test_other_paths_are_left_as_they_are(paths: RuntimePaths) -> None:
    for path in ("/tmp/x.csv", "file:/tmp/x", "relative/x", "s3://bucket/x"):
        assert local_uri(path, paths) == path


def test_lists_and_tuples_of_paths_are_mapped_item_by_item(paths: RuntimePaths) -> None:
    mapped = map_paths(["dbfs:/a", "/tmp/b"], paths)
    assert mapped == [(paths.dbfs_root / "a").as_uri(), "/tmp/b"]
    assert isinstance(map_paths(("dbfs:/a",), paths), tuple)
    assert map_paths(None, paths) is None


def test_climbing_out_of_the_root_is_refused(paths: RuntimePaths) -> None:
    with pytest.raises(ValueError):
        local_uri("dbfs:/../../etc/passwd", paths)
