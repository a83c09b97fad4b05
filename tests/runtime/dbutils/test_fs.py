from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brickyard.runtime.dbutils import DBUtils, FsUtils


@pytest.fixture
def fs(context_factory: Callable[..., Any]) -> FsUtils:
    return DBUtils(context_factory()).fs


def test_put_head_ls(fs: FsUtils, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fs.put("dbfs:/data/a.txt", "héllo") is True
    assert "Wrote 6 bytes." in capsys.readouterr().out
    assert (tmp_path / "dbfs" / "data" / "a.txt").read_text() == "héllo"
    fs.mkdirs("/data/sub")
    entries = fs.ls("/data")
    assert [(e.path, e.name, e.size) for e in entries] == [
        ("dbfs:/data/a.txt", "a.txt", 6),
        ("dbfs:/data/sub/", "sub/", 0),
    ]
    assert entries[1].isDir() and entries[0].isFile()
    assert entries[0].modificationTime > 1_600_000_000_000
    assert fs.ls("dbfs:/data/a.txt")[0].path == "dbfs:/data/a.txt"
    assert fs.head("/data/a.txt") == "héllo"
    assert fs.head("/data/a.txt", 1) == "h"
    assert "[Truncated to first 1 bytes]" in capsys.readouterr().err


def test_put_refuses_to_overwrite_unless_asked(fs: FsUtils) -> None:
    fs.put("/f.txt", "1")
    with pytest.raises(FileExistsError, match="pass overwrite=True"):
        fs.put("/f.txt", "2")
    fs.put("/f.txt", "2", overwrite=True)
    assert fs.head("/f.txt") == "2"


def test_missing_paths_raise_file_not_found(fs: FsUtils) -> None:
    with pytest.raises(FileNotFoundError, match="dbfs:/nope: no such file or directory"):
        fs.ls("dbfs:/nope")
    with pytest.raises(FileNotFoundError, match="/nope"):
        fs.head("/nope")
    with pytest.raises(FileNotFoundError, match="/nope"):
        fs.cp("/nope", "/x")
    with pytest.raises(FileNotFoundError, match="/nope"):
        fs.mv("/nope", "/x")
    assert fs.rm("/nope") is False


def test_cp_and_mv_files_and_trees(fs: FsUtils, tmp_path: Path) -> None:
    fs.put("/src/a.txt", "a")
    fs.put("/src/deep/b.txt", "b")
    fs.cp("/src/a.txt", "/Volumes/main/raw/files/a_copy.txt")
    assert (tmp_path / "volumes/main/raw/files/a_copy.txt").read_text() == "a"
    with pytest.raises(IsADirectoryError, match="recurse=True"):
        fs.cp("/src", "/dst")
    fs.cp("/src", "/dst", recurse=True)
    assert fs.head("/dst/deep/b.txt") == "b"
    fs.mkdirs("/into")
    fs.cp("/src/a.txt", "/into")
    assert fs.head("/into/a.txt") == "a"
    with pytest.raises(IsADirectoryError, match="recurse=True"):
        fs.mv("/dst", "/moved")
    fs.mv("/dst", "/moved", recurse=True)
    assert not (tmp_path / "dbfs/dst").exists()
    fs.mv("/moved/a.txt", "/renamed.txt")
    assert fs.head("/renamed.txt") == "a"


def test_rm(fs: FsUtils, tmp_path: Path) -> None:
    fs.put("/d/f.txt", "x")
    with pytest.raises(OSError, match="not empty; pass recurse=True"):
        fs.rm("/d")
    assert fs.rm("/d/f.txt") is True
    assert fs.rm("/d") is True
    fs.put("/t/u/v.txt", "x")
    assert fs.rm("/t", recurse=True) is True
    assert not (tmp_path / "dbfs/t").exists()


def test_workspace_and_local_files(fs: FsUtils, tmp_path: Path) -> None:
    fs.put("/Workspace/Shared/x.txt", "w")
    assert (tmp_path / "workspace/Shared/x.txt").read_text() == "w"
    local = tmp_path / "local.txt"
    local.write_text("l")
    assert fs.head(f"file:{local}") == "l"
    assert fs.ls(f"file:{tmp_path}")[0].path.startswith("file:/")
