"""resolve_local_path: each Databricks path form to its place under the brickyard home."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.compute.paths import is_remote_uri, resolve_local_path
from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.settings import Settings
from brickyard.workspace import Workspace


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    return path


@pytest.fixture
def workspace(settings: Settings) -> Workspace:
    return Workspace(settings.workspace_root)


@pytest.mark.parametrize(
    ("given", "where"),
    [
        ("dbfs:/libs/a.whl", "dbfs/libs/a.whl"),
        ("dbfs:/Volumes/main/s/v/a.whl", "volumes/main/s/v/a.whl"),
        ("/Volumes/main/s/v/a.whl", "volumes/main/s/v/a.whl"),
        ("/Workspace/Shared/a.py", "workspace/Shared/a.py"),
        ("/Shared/a.py", "workspace/Shared/a.py"),
    ],
)
def test_home_paths(settings: Settings, workspace: Workspace, given: str, where: str) -> None:
    expected = touch(settings.home / where)
    found = resolve_local_path(given, base_dir=None, settings=settings, workspace=workspace)
    assert found == expected


def test_relative_path_uses_the_base_dir(
    settings: Settings, workspace: Workspace, tmp_path: Path
) -> None:
    expected = touch(tmp_path / "job" / "src" / "main.py")
    found = resolve_local_path(
        "src/main.py", base_dir=tmp_path / "job", settings=settings, workspace=workspace
    )
    assert found == expected


def test_missing_file_names_the_place(settings: Settings, workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match=str(settings.dbfs_root / "nope.whl")):
        resolve_local_path("dbfs:/nope.whl", base_dir=None, settings=settings, workspace=workspace)


@pytest.mark.parametrize("given", ["dbfs:/../../etc/passwd", "/Volumes/../../etc/passwd"])
def test_escaping_the_root_is_refused(settings: Settings, workspace: Workspace, given: str) -> None:
    with pytest.raises(InvalidInputError, match="points outside"):
        resolve_local_path(given, base_dir=None, settings=settings, workspace=workspace)


def test_remote_uris(settings: Settings, workspace: Workspace) -> None:
    assert is_remote_uri("s3://bucket/x.py")
    assert is_remote_uri("abfss://c@a.dfs.core.windows.net/x.py")
    assert not is_remote_uri("dbfs:/x.py")
    assert not is_remote_uri("file:///x.py")
    assert not is_remote_uri("/Workspace/x.py")
    with pytest.raises(InvalidInputError, match="remote locations"):
        resolve_local_path("gs://b/x.py", base_dir=None, settings=settings, workspace=workspace)
