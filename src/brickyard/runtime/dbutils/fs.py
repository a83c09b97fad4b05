# ruff: noqa: N802, N803, N815 - dbutils mirrors the Databricks API's camelCase names.
"""``dbutils.fs``: files on DBFS, volumes, the workspace and the local disk."""

from __future__ import annotations

import builtins
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from brickyard.runtime.context import TaskContext
from brickyard.runtime.dbutils.fs_paths import FsPath, resolve_fs_path

HEAD_DEFAULT_BYTES = 65536


@dataclass(frozen=True)
class FileInfo:
    """One entry of ``dbutils.fs.ls``; directory paths and names end with ``/``."""

    path: str
    name: str
    size: int
    modificationTime: int
    """Milliseconds since the epoch."""

    def isDir(self) -> bool:
        """Whether the entry is a directory."""
        return self.name.endswith("/")

    def isFile(self) -> bool:
        """Whether the entry is a file."""
        return not self.isDir()


class FsUtils:
    """File system utilities over the local stand-ins for DBFS and volumes."""

    def __init__(self, context: TaskContext) -> None:
        self._context = context

    def _resolve(self, path: str) -> FsPath:
        return resolve_fs_path(path, self._context.paths)

    def ls(self, path: str) -> list[FileInfo]:
        """The entries of a directory (or the file itself), sorted by name."""
        target = self._resolve(path)
        if target.local.is_file():
            return [_file_info(target, target.local.name)]
        if not target.local.is_dir():
            raise FileNotFoundError(f"{path}: no such file or directory")
        entries = []
        for child in sorted(target.local.iterdir(), key=lambda p: p.name):
            is_dir = child.is_dir()
            name = child.name + ("/" if is_dir else "")
            entries.append(_file_info(target.child(child.name, is_dir), name))
        return entries

    def mkdirs(self, path: str) -> bool:
        """Create a directory and its parents."""
        target = self._resolve(path)
        if target.local.is_file():
            raise FileExistsError(f"{path}: a file exists at this path")
        target.local.mkdir(parents=True, exist_ok=True)
        return True

    def put(self, path: str, contents: str, overwrite: bool = False) -> bool:
        """Write ``contents`` (UTF-8) to a file."""
        target = self._resolve(path)
        if target.local.is_dir():
            raise IsADirectoryError(f"{path}: is a directory")
        if target.local.exists() and not overwrite:
            raise FileExistsError(f"{path}: the file exists; pass overwrite=True to replace it")
        data = contents.encode("utf-8")
        target.local.parent.mkdir(parents=True, exist_ok=True)
        target.local.write_bytes(data)
        print(f"Wrote {len(data)} bytes.")
        return True

    def head(self, path: str, maxBytes: int = HEAD_DEFAULT_BYTES) -> str:
        """The first ``maxBytes`` bytes of a file, decoded as UTF-8."""
        target = self._resolve(path)
        if target.local.is_dir():
            raise IsADirectoryError(f"{path}: is a directory")
        if not target.local.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        with target.local.open("rb") as handle:
            data = handle.read(maxBytes + 1)
        if len(data) > maxBytes:
            print(f"[Truncated to first {maxBytes} bytes]", file=sys.stderr)
        return data[:maxBytes].decode("utf-8", errors="replace")

    def cp(self, src: str, dst: str, recurse: bool = False) -> bool:
        """Copy a file, or a directory tree with ``recurse=True``."""
        source, target = self._resolve(src), self._resolve(dst)
        if source.local.is_dir():
            if not recurse:
                raise IsADirectoryError(f"{src}: is a directory; pass recurse=True to copy it")
            shutil.copytree(source.local, target.local, dirs_exist_ok=True)
            return True
        if not source.local.exists():
            raise FileNotFoundError(f"{src}: no such file or directory")
        destination = _into_directory(source.local, target.local)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source.local, destination)
        return True

    def mv(self, src: str, dst: str, recurse: bool = False) -> bool:
        """Move a file, or a directory tree with ``recurse=True``."""
        source, target = self._resolve(src), self._resolve(dst)
        if not source.local.exists():
            raise FileNotFoundError(f"{src}: no such file or directory")
        if source.local.is_dir() and not recurse:
            raise IsADirectoryError(f"{src}: is a directory; pass recurse=True to move it")
        destination = _into_directory(source.local, target.local)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source.local, destination)
        return True

    def rm(self, path: str, recurse: bool = False) -> bool:
        """Delete a file, an empty directory, or a tree with ``recurse=True``.

        Returns False when nothing exists at ``path``.
        """
        target = self._resolve(path)
        local = target.local
        if not local.exists() and not local.is_symlink():
            return False
        if local.is_dir() and not local.is_symlink():
            if any(local.iterdir()) and not recurse:
                raise OSError(f"{path}: the directory is not empty; pass recurse=True")
            shutil.rmtree(local)
        else:
            local.unlink()
        return True

    def help(self) -> None:
        """Print the available commands."""
        print("dbutils.fs: " + ", ".join(_COMMANDS))


_COMMANDS: builtins.list[str] = ["cp", "head", "ls", "mkdirs", "mv", "put", "rm"]


def _into_directory(source: Path, target: Path) -> Path:
    # Copying or moving onto an existing directory puts the source inside it.
    return target / source.name if target.is_dir() else target


def _file_info(entry: FsPath, name: str) -> FileInfo:
    stat = entry.local.stat()
    is_dir = name.endswith("/")
    return FileInfo(
        path=entry.uri,
        name=name,
        size=0 if is_dir else stat.st_size,
        modificationTime=int(stat.st_mtime * 1000),
    )
