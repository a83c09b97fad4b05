"""The Files API 2.0 (``/fs/files/...``, ``/fs/directories/...``) over the brickyard home's
volume folders: what ``w.files`` of the SDK speaks.

Paths are ``/Volumes/<catalog>/<schema>/<volume>/...``, mapped by
:func:`brickyard.compute.paths.volume_path`, so a job's ``/Volumes/...`` path finds what was
uploaded. An upload is the raw request body, written to disk as it arrives; a download is the
file itself (``Range`` requests answered), never read into memory.

brickyard has no cloud object store to hand out presigned URLs for, so the SDK's large-file
protocol is answered in the way that makes it send the file in one streamed ``PUT``:
``initiate-upload`` opens a resumable session, and asking for its upload URL is refused (the SDK
then falls back to the single ``PUT`` by design, as it does on a workspace without presigned
URLs). The download-URL request is refused likewise, and the SDK downloads with ``GET``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from starlette.responses import FileResponse, Response

from brickyard.api import stored_files
from brickyard.api.dependencies import Context
from brickyard.api.responses import json_response
from brickyard.compute.paths import volume_path
from brickyard.errors import (
    FileOperationError,
    InvalidInputError,
    ResourceNotFoundError,
)
from brickyard.settings import Settings
from brickyard.spec import LenientBool

router = APIRouter(tags=["files"])

MAX_PAGE_SIZE: Final = 1000
"""The most entries one directory listing answers (Databricks coerces larger page sizes)."""


@router.put("/fs/files{file_path:path}", status_code=204)
async def upload(
    file_path: str,
    request: Request,
    ctx: Context,
    overwrite: Annotated[LenientBool, Query()] = True,
) -> Response:
    """Write a file from the raw request body (parent folders are created)."""
    target = _local(file_path, ctx.services.settings)
    await ctx.staging.write_stream(request.stream(), target, file_path, overwrite=overwrite)
    return Response(status_code=204)


@router.post("/fs/files{file_path:path}")
def start_upload(
    file_path: str,
    ctx: Context,
    action: Annotated[str | None, Query()] = None,
    overwrite: Annotated[LenientBool, Query()] = True,
) -> Response:
    """``action=initiate-upload``: a resumable session (whose upload URL is refused, so the SDK
    sends the file with one ``PUT``; see the module docstring)."""
    if action != "initiate-upload":
        raise InvalidInputError(
            f"Invalid value for 'action': {action!r}; brickyard accepts initiate-upload "
            "(then upload the file with PUT)"
        )
    target = _local(file_path, ctx.services.settings)
    stored_files.check_writable(target, file_path, overwrite=overwrite)
    return json_response({"resumable_upload": {"session_token": secrets.token_urlsafe(16)}})


@router.get("/fs/files{file_path:path}")
def download(file_path: str, ctx: Context) -> Response:
    """A file's bytes (``Range`` requests answered with 206)."""
    return _file_response(file_path, ctx)


@router.head("/fs/files{file_path:path}")
def get_metadata(file_path: str, ctx: Context) -> Response:
    """A file's ``content-length``, ``content-type`` and ``last-modified``, no body."""
    return _file_response(file_path, ctx)


@router.delete("/fs/files{file_path:path}", status_code=204)
def delete_file(file_path: str, ctx: Context) -> Response:
    """Delete a file."""
    local = _local(file_path, ctx.services.settings)
    if stored_files.existing(local, file_path).is_dir:
        raise FileOperationError(f"{file_path} is a directory; delete it as a directory.")
    local.unlink()
    return Response(status_code=204)


@router.put("/fs/directories{directory_path:path}", status_code=204)
def create_directory(directory_path: str, ctx: Context) -> Response:
    """Create a folder and its parents (nothing when it exists)."""
    local = _local(directory_path, ctx.services.settings)
    stored_files.make_folders(local, directory_path)
    return Response(status_code=204)


@router.get("/fs/directories{directory_path:path}")
def list_directory_contents(
    directory_path: str,
    ctx: Context,
    page_size: Annotated[int | None, Query(ge=1)] = None,
    page_token: Annotated[str | None, Query()] = None,
) -> Response:
    """A folder's entries by name, ``page_size`` (at most 1000) at a time."""
    local = _local(directory_path, ctx.services.settings)
    _existing_directory(local, directory_path)
    entries = stored_files.children(local, directory_path)
    if page_token:
        # the token is the last name of the previous page: names are unique and sorted
        entries = [e for e in entries if e.name > page_token]
    size = min(page_size or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    page, more = entries[:size], len(entries) > size
    body: dict[str, object] = {"contents": [_directory_entry(e) for e in page]}
    if more:
        body["next_page_token"] = page[-1].name
    return json_response(body)


@router.head("/fs/directories{directory_path:path}")
def get_directory_metadata(directory_path: str, ctx: Context) -> Response:
    """200 when the folder exists (404 otherwise), no body."""
    _existing_directory(_local(directory_path, ctx.services.settings), directory_path)
    return Response(status_code=200)


@router.delete("/fs/directories{directory_path:path}", status_code=204)
def delete_directory(directory_path: str, ctx: Context) -> Response:
    """Delete an empty folder."""
    local = _local(directory_path, ctx.services.settings)
    _existing_directory(local, directory_path)
    stored_files.delete(local, directory_path, recursive=False)
    return Response(status_code=204)


def _file_response(file_path: str, ctx: Context) -> Response:
    local = _local(file_path, ctx.services.settings)
    if stored_files.existing(local, file_path).is_dir:
        raise ResourceNotFoundError(f"{file_path} is a directory, not a file.")
    return FileResponse(local, media_type="application/octet-stream")


def _existing_directory(local: Path, path: str) -> None:
    # a file is "no directory here" (404): the SDK tells files from folders that way
    if not stored_files.existing(local, path).is_dir:
        raise ResourceNotFoundError(f"{path} is a file, not a directory.")


def _directory_entry(found: stored_files.Entry) -> dict[str, object]:
    entry: dict[str, object] = {
        "path": found.path + ("/" if found.is_dir else ""),
        "name": found.name,
        "is_directory": found.is_dir,
        "last_modified": found.modified_ms,
    }
    if not found.is_dir:
        entry["file_size"] = found.size
    return entry


def _local(path: str, settings: Settings) -> Path:
    return volume_path(path, settings)
