"""The file operations behind the DBFS and Files APIs, on the storage roots of the brickyard
home (the folders ``dbfs:/`` and ``/Volumes/`` paths of jobs and ``dbutils.fs`` use).

A file being uploaded is written in a staging folder of the home and moved into place whole
when the upload ends, so a job, a listing or a file-arrival trigger never sees half a file.
Uploads are written chunk by chunk: no file is held in memory.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.concurrency import run_in_threadpool

from brickyard.errors import (
    AlreadyExistsError,
    FileOperationError,
    ResourceNotFoundError,
)

UPLOAD_IDLE_SECONDS: Final = 600.0
"""A DBFS upload handle not used for this long is dropped (Databricks: 10 minutes)."""


@dataclass(frozen=True)
class Entry:
    """A file or folder: its API path and what a listing reports of it."""

    path: str
    is_dir: bool
    size: int
    modified_ms: int

    @property
    def name(self) -> str:
        """The last component of the path."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


def entry(local: Path, path: str) -> Entry | None:
    """What is at ``local`` (named ``path`` in the API), or None when nothing is."""
    try:
        info = local.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    is_dir = local.is_dir()
    return Entry(path, is_dir, 0 if is_dir else info.st_size, int(info.st_mtime * 1000))


def existing(local: Path, path: str) -> Entry:
    """What is at ``local``; ResourceNotFoundError when nothing is."""
    found = entry(local, path)
    if found is None:
        raise ResourceNotFoundError(f"No file or directory exists on path {path}.")
    return found


def children(local: Path, path: str) -> list[Entry]:
    """The entries of folder ``local``, sorted by name."""
    base = path.rstrip("/")
    found = []
    for child in sorted(local.iterdir()):
        item = entry(child, f"{base}/{child.name}")
        if item is not None:
            found.append(item)
    return found


def make_folders(local: Path, path: str) -> None:
    """Create folder ``local`` and its parents (nothing when it exists); AlreadyExistsError
    when a file is in the way."""
    try:
        local.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise AlreadyExistsError(f"Cannot create {path}: a file exists on the path.") from exc


def delete(local: Path, path: str, *, recursive: bool) -> None:
    """Delete a file, or a folder (a non-empty one only with ``recursive``)."""
    if local.is_dir() and not local.is_symlink():
        if recursive:
            shutil.rmtree(local)
            return
        try:
            local.rmdir()
        except OSError as exc:
            raise FileOperationError(
                f"Directory {path} is not empty; delete it with recursive=true."
            ) from exc
        return
    # NotADirectoryError: a file stands where a parent folder would be, so nothing is there
    with contextlib.suppress(NotADirectoryError):
        local.unlink(missing_ok=True)


def move(source: Path, source_path: str, target: Path, target_path: str) -> None:
    """Move a file or folder; the target must not exist."""
    existing(source, source_path)
    if entry(target, target_path) is not None:
        raise AlreadyExistsError(f"A file or directory already exists at {target_path}.")
    if target.is_relative_to(source):
        raise FileOperationError(f"Cannot move {source_path} into itself ({target_path}).")
    make_folders(target.parent, target_path)
    source.replace(target)


def check_writable(target: Path, path: str, *, overwrite: bool) -> None:
    """Refuse to write over a folder, or over a file without ``overwrite``."""
    found = entry(target, path)
    if found is None:
        return
    if found.is_dir:
        raise AlreadyExistsError(f"A directory already exists at {path}.")
    if not overwrite:
        raise AlreadyExistsError(f"A file already exists at {path}; pass overwrite=true.")


def place(staged: Path, target: Path, path: str, *, overwrite: bool) -> None:
    """Move a whole staged upload to ``target`` (see :func:`check_writable`)."""
    check_writable(target, path, overwrite=overwrite)
    make_folders(target.parent, path)
    staged.replace(target)


class Staging:
    """Half-written uploads, in a folder of the home beside the storage roots (same file
    system, so moving one into place is a rename)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def new_file(self) -> Path:
        """An empty file to write an upload into."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.folder, prefix="upload-")
        os.close(handle)
        return Path(name)

    async def receive(self, chunks: AsyncIterator[bytes]) -> Path:
        """A new staged file holding the request body ``chunks`` (the caller removes it)."""
        staged = await run_in_threadpool(self.new_file)
        try:
            with staged.open("wb") as out:
                async for chunk in chunks:
                    if chunk:
                        await run_in_threadpool(out.write, chunk)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        return staged

    async def write_stream(
        self, chunks: AsyncIterator[bytes], target: Path, path: str, *, overwrite: bool
    ) -> None:
        """Write the request body ``chunks`` to ``target`` (replacing a file only with
        ``overwrite``)."""
        check_writable(target, path, overwrite=overwrite)
        staged = await self.receive(chunks)
        try:
            await run_in_threadpool(place, staged, target, path, overwrite=overwrite)
        finally:
            staged.unlink(missing_ok=True)


@dataclass
class _OpenUpload:
    target: Path
    path: str
    overwrite: bool
    staged: Path
    last_used: float


class DbfsUploads:
    """The DBFS ``create`` / ``add-block`` / ``close`` handles of this server process."""

    def __init__(self, staging: Staging) -> None:
        self._staging = staging
        self._open: dict[int, _OpenUpload] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def create(self, target: Path, path: str, *, overwrite: bool) -> int:
        """Open an upload to ``target``; its handle."""
        check_writable(target, path, overwrite=overwrite)
        self._drop_idle()
        staged = self._staging.new_file()
        with self._lock:
            handle = next(self._ids)
            self._open[handle] = _OpenUpload(target, path, overwrite, staged, time.monotonic())
        return handle

    def add_block(self, handle: int, data: bytes) -> None:
        """Append ``data`` to the upload."""
        upload = self._get(handle)
        with upload.staged.open("ab") as out:
            out.write(data)
        upload.last_used = time.monotonic()

    def close(self, handle: int) -> None:
        """End the upload: the file takes its place."""
        with self._lock:
            upload = self._open.pop(handle, None)
        if upload is None:
            raise _unknown_handle(handle)
        try:
            place(upload.staged, upload.target, upload.path, overwrite=upload.overwrite)
        finally:
            upload.staged.unlink(missing_ok=True)

    def _get(self, handle: int) -> _OpenUpload:
        with self._lock:
            upload = self._open.get(handle)
        if upload is None:
            raise _unknown_handle(handle)
        return upload

    def _drop_idle(self) -> None:
        now = time.monotonic()
        with self._lock:
            idle = [h for h, u in self._open.items() if now - u.last_used > UPLOAD_IDLE_SECONDS]
            dropped = [self._open.pop(handle) for handle in idle]
        for upload in dropped:
            upload.staged.unlink(missing_ok=True)


def _unknown_handle(handle: int) -> ResourceNotFoundError:
    return ResourceNotFoundError(f"Handle {handle} does not exist or has expired.")
