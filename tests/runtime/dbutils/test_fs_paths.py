from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.runtime.context import RuntimePaths
from brickyard.runtime.dbutils.fs_paths import resolve_fs_path


@pytest.fixture
def paths(tmp_path: Path) -> RuntimePaths:
    return RuntimePaths.under_home(tmp_path)


@pytest.mark.parametrize(
    ("path", "local", "uri"),
    [
        ("dbfs:/a/b.txt", "dbfs/a/b.txt", "dbfs:/a/b.txt"),
        ("/a/b.txt", "dbfs/a/b.txt", "dbfs:/a/b.txt"),
        ("dbfs:/", "dbfs", "dbfs:/"),
        ("/Volumes/c/s/v/f.csv", "volumes/c/s/v/f.csv", "dbfs:/Volumes/c/s/v/f.csv"),
        ("dbfs:/Volumes/c/s/v", "volumes/c/s/v", "dbfs:/Volumes/c/s/v"),
        ("/Workspace/ETL/x.py", "workspace/ETL/x.py", "file:/Workspace/ETL/x.py"),
        ("/a/./b/../c", "dbfs/a/c", "dbfs:/a/c"),
    ],
)
def test_mapping(paths: RuntimePaths, tmp_path: Path, path: str, local: str, uri: str) -> None:
    resolved = resolve_fs_path(path, paths)
    assert resolved.local == tmp_path / local
    assert resolved.uri == uri


def test_file_scheme_is_the_local_disk(paths: RuntimePaths) -> None:
    assert resolve_fs_path("file:/tmp/x", paths).local == Path("/tmp/x")
    assert resolve_fs_path("file:///tmp/x", paths).uri == "file:/tmp/x"


@pytest.mark.parametrize("path", ["/../etc/passwd", "dbfs:/a/../../x", "/Volumes/../dbfs"])
def test_escaping_a_root_is_rejected(paths: RuntimePaths, path: str) -> None:
    with pytest.raises(ValueError, match="climbs above its root"):
        resolve_fs_path(path, paths)


def test_cloud_paths_are_rejected(paths: RuntimePaths) -> None:
    with pytest.raises(ValueError, match="cloud storage paths are not supported"):
        resolve_fs_path("s3://bucket/key", paths)
    with pytest.raises(ValueError, match="non-empty"):
        resolve_fs_path("", paths)
