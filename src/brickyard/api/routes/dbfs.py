"""The DBFS API 2.0 (``/dbfs/...``) over the brickyard home's DBFS and volume folders: what
``w.dbfs`` of the SDK and the legacy CLI's ``databricks fs`` speak.

Paths are absolute DBFS paths (``/x`` or ``dbfs:/x``; ``/Volumes/...`` names a volume), mapped
by :func:`brickyard.compute.paths.dbfs_api_path`, so a job's ``dbfs:/x`` finds what was
uploaded to ``/x``. Uploads come as ``create`` / ``add-block`` / ``close`` (base64 blocks of at
most 1 MB) or one ``put`` (inline base64 of at most 1 MB, or a multipart form streamed to disk);
``read`` answers base64 chunks of at most 1 MB by ``offset`` and ``length``.

Where brickyard differs, on purpose: ``delete`` of a large folder finishes in one call (no 503
asking to call again).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from brickyard.api import stored_files
from brickyard.api.body import json_object, parse_body
from brickyard.api.dependencies import Body, Context
from brickyard.api.multipart_file import boundary_of, copy_part, parts_of, read_part
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.compute.paths import dbfs_api_path
from brickyard.errors import (
    FileOperationError,
    InvalidInputError,
    MaxBlockSizeExceededError,
    MaxReadSizeExceededError,
)
from brickyard.settings import Settings
from brickyard.spec import LenientBool, LenientInt

router = APIRouter(tags=["dbfs"])

MAX_BLOCK_BYTES: Final = 1024 * 1024
"""The most one ``add-block`` or inline ``put`` may carry, and one ``read`` may answer."""
DEFAULT_READ_BYTES: Final = 512 * 1024

PathQuery = Annotated[str | None, Query()]


class PutRequest(RequestModel):
    """``dbfs/put``: a whole file, base64 ``contents`` of at most 1 MB."""

    path: str
    contents: str | None = None
    overwrite: LenientBool = False


class CreateRequest(RequestModel):
    """``dbfs/create``: open a file for ``add-block`` calls."""

    path: str
    overwrite: LenientBool = False


class AddBlockRequest(RequestModel):
    """``dbfs/add-block``: base64 ``data`` (at most 1 MB) appended to an open file."""

    handle: LenientInt
    data: str


class CloseRequest(RequestModel):
    """``dbfs/close``: the file of ``handle`` is complete."""

    handle: LenientInt


class PathRequest(RequestModel):
    """``dbfs/mkdirs``: the folder to create, with its parents."""

    path: str


class DeleteRequest(RequestModel):
    """``dbfs/delete``: a file, or a folder (non-empty only with ``recursive``)."""

    path: str
    recursive: LenientBool = False


class MoveRequest(RequestModel):
    """``dbfs/move``: a file or folder to a path where nothing is."""

    source_path: str
    destination_path: str


@router.post("/dbfs/put", openapi_extra=PutRequest.openapi())
async def put(request: Request, ctx: Context) -> Response:
    """Write a whole file: inline base64 ``contents``, or a multipart form's file part."""
    settings = ctx.services.settings
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        await _put_multipart(request, ctx, boundary_of(content_type))
        return json_response({})
    body = parse_body(PutRequest, await json_object(request))
    target = dbfs_api_path(body.path, settings)
    data = _decoded(body.contents or "", "contents")
    staged = await run_in_threadpool(ctx.staging.new_file)
    try:
        await run_in_threadpool(staged.write_bytes, data)
        await run_in_threadpool(
            stored_files.place, staged, target, body.path, overwrite=body.overwrite
        )
    finally:
        staged.unlink(missing_ok=True)
    return json_response({})


async def _put_multipart(request: Request, ctx: Context, boundary: bytes) -> None:
    received = await ctx.staging.receive(request.stream())
    try:
        await run_in_threadpool(_place_form, received, boundary, ctx)
    finally:
        received.unlink(missing_ok=True)


def _place_form(received: Path, boundary: bytes, ctx: Context) -> None:
    parts = parts_of(received, boundary)
    fields = {
        part.name: read_part(received, part).decode("utf-8", errors="replace")
        for part in parts
        if part.filename is None
    }
    files = [part for part in parts if part.filename is not None]
    path = fields.get("path")
    if not path:
        raise InvalidInputError("Missing required field: path")
    overwrite = fields.get("overwrite", "false").strip().lower() == "true"
    target = dbfs_api_path(path, ctx.services.settings)
    staged = ctx.staging.new_file()
    try:
        if files:
            copy_part(received, files[0], staged)
        elif "contents" in fields:
            staged.write_bytes(_decoded(fields["contents"], "contents"))
        else:
            raise InvalidInputError("Missing required field: contents (or a file part)")
        stored_files.place(staged, target, path, overwrite=overwrite)
    finally:
        staged.unlink(missing_ok=True)


@router.post("/dbfs/create", openapi_extra=CreateRequest.openapi())
def create(body: Body, ctx: Context) -> Response:
    """Open a file for writing; its ``handle``."""
    request = parse_body(CreateRequest, body)
    target = dbfs_api_path(request.path, ctx.services.settings)
    handle = ctx.dbfs_uploads.create(target, request.path, overwrite=request.overwrite)
    return json_response({"handle": handle})


@router.post("/dbfs/add-block", openapi_extra=AddBlockRequest.openapi())
def add_block(body: Body, ctx: Context) -> Response:
    """Append a block of at most 1 MB to an open file."""
    request = parse_body(AddBlockRequest, body)
    ctx.dbfs_uploads.add_block(request.handle, _decoded(request.data, "data"))
    return json_response({})


@router.post("/dbfs/close", openapi_extra=CloseRequest.openapi())
def close(body: Body, ctx: Context) -> Response:
    """Finish an open file: it appears at its path, whole."""
    request = parse_body(CloseRequest, body)
    ctx.dbfs_uploads.close(request.handle)
    return json_response({})


@router.get("/dbfs/read")
def read(
    ctx: Context,
    path: PathQuery = None,
    offset: Annotated[int, Query()] = 0,
    length: Annotated[int, Query()] = DEFAULT_READ_BYTES,
) -> Response:
    """At most ``length`` (1 MB at most) bytes of a file from ``offset``, base64."""
    where = _required_path(path)
    if offset < 0 or length < 0:
        raise InvalidInputError("offset and length must not be negative")
    if length > MAX_BLOCK_BYTES:
        raise MaxReadSizeExceededError(
            f"Cannot read more than {MAX_BLOCK_BYTES} bytes at once, asked for {length}."
        )
    local = _local(where, ctx.services.settings)
    if stored_files.existing(local, where).is_dir:
        raise InvalidInputError(f"Cannot read {where}: it is a directory.")
    with local.open("rb") as file:
        file.seek(offset)
        data = file.read(length)
    return json_response({"bytes_read": len(data), "data": base64.b64encode(data).decode("ascii")})


@router.get("/dbfs/get-status")
def get_status(ctx: Context, path: PathQuery = None) -> Response:
    """A file's or folder's FileInfo."""
    where = _required_path(path)
    found = stored_files.existing(_local(where, ctx.services.settings), _shown(where))
    return json_response(file_info(found))


@router.get("/dbfs/list")
def list_files(ctx: Context, path: PathQuery = None) -> Response:
    """A folder's entries (``{}`` for an empty one), or a file's own FileInfo."""
    where = _required_path(path)
    local = _local(where, ctx.services.settings)
    found = stored_files.existing(local, _shown(where))
    entries = stored_files.children(local, found.path) if found.is_dir else [found]
    return json_response({"files": [file_info(e) for e in entries]} if entries else {})


@router.post("/dbfs/mkdirs", openapi_extra=PathRequest.openapi())
def mkdirs(body: Body, ctx: Context) -> Response:
    """Create a folder and its parents (nothing when it exists)."""
    request = parse_body(PathRequest, body)
    stored_files.make_folders(_local(request.path, ctx.services.settings), request.path)
    return json_response({})


@router.post("/dbfs/move", openapi_extra=MoveRequest.openapi())
def move(body: Body, ctx: Context) -> Response:
    """Move a file or folder (a folder with everything in it)."""
    request = parse_body(MoveRequest, body)
    settings = ctx.services.settings
    stored_files.move(
        _local(request.source_path, settings),
        request.source_path,
        _local(request.destination_path, settings),
        request.destination_path,
    )
    return json_response({})


@router.post("/dbfs/delete", openapi_extra=DeleteRequest.openapi())
def delete(body: Body, ctx: Context) -> Response:
    """Delete a file or folder; nothing to delete is no error."""
    request = parse_body(DeleteRequest, body)
    local = _local(request.path, ctx.services.settings)
    if local in (ctx.services.settings.dbfs_root, ctx.services.settings.volumes_root):
        raise FileOperationError(f"Cannot delete the root {request.path}.")
    stored_files.delete(local, request.path, recursive=request.recursive)
    return json_response({})


def file_info(found: stored_files.Entry) -> dict[str, object]:
    """An entry as the DBFS API's FileInfo."""
    return {
        "path": found.path,
        "is_dir": found.is_dir,
        "file_size": found.size,
        "modification_time": found.modified_ms,
    }


def _local(path: str, settings: Settings) -> Path:
    # the DBFS root always exists, even in a home nothing was written to yet
    settings.dbfs_root.mkdir(parents=True, exist_ok=True)
    return dbfs_api_path(path, settings)


def _shown(path: str) -> str:
    """The path as the API reports it: absolute, without ``dbfs:``, no trailing slash."""
    text = path.strip()
    if text.lower().startswith("dbfs:"):
        text = text[len("dbfs:") :]
    parts = [part for part in text.split("/") if part not in ("", ".")]
    return "/" + "/".join(parts)


def _required_path(path: str | None) -> str:
    if path is None or not path.strip():
        raise InvalidInputError("Missing required field: path")
    return path


def _decoded(data: str, field: str) -> bytes:
    # base64 of 1 MB is 4/3 MB: a longer text is refused before it is decoded
    if len(data) > (MAX_BLOCK_BYTES * 4) // 3 + 4:
        raise _too_large(field)
    try:
        decoded = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError(f"Invalid value for '{field}': not valid base64 ({exc})") from exc
    if len(decoded) > MAX_BLOCK_BYTES:
        raise _too_large(field)
    return decoded


def _too_large(field: str) -> MaxBlockSizeExceededError:
    return MaxBlockSizeExceededError(
        f"Invalid value for '{field}': more than {MAX_BLOCK_BYTES} bytes in one call; "
        "upload larger files with create, add-block and close"
    )
