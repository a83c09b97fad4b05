"""``/workspace/import|export|list|get-status|mkdirs|delete`` (Workspace API 2.0) over the
directory-backed workspace that notebook tasks resolve their paths against.

Where brickyard differs from Databricks, on purpose:

- ``import`` creates missing parent folders (Databricks requires the parent to exist);
- the HTML, DBC and R_MARKDOWN formats are refused with a 400 naming the format; RAW imports
  the content as a plain file and exports the stored bytes;
- a folder cannot be exported (400); export its notebooks and files one by one;
- ``object_id`` is the stored file's inode: stable while the object exists.

``import`` also takes the multipart form the SDK's ``workspace.upload`` sends (raw content, not
base64), and ``export?direct_download=true`` answers the raw bytes (``workspace.download``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from email.message import Message
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from brickyard.api.body import json_object, parse_body
from brickyard.api.dependencies import Context
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.errors import InvalidInputError, ResourceNotFoundError
from brickyard.spec import LenientBool
from brickyard.workspace import (
    NotebookFormat,
    NotebookLanguage,
    ObjectType,
    WorkspaceObject,
    WorkspacePathNotFoundError,
    classify_import,
    notebook_extension,
    source_header,
)
from brickyard.workspace.notebook_source import (
    CellKind,
    parse_ipynb_notebook,
    parse_source_notebook,
)

router = APIRouter(tags=["workspace"])

# Optional in the signature so a missing path gets this module's message, not FastAPI's.
PathQuery = Annotated[str | None, Query()]

_SUPPORTED_FORMATS = ("SOURCE", "JUPYTER", "AUTO", "RAW")
_UNSUPPORTED_FORMATS = ("HTML", "DBC", "R_MARKDOWN")
_MAGIC_PREFIX = {NotebookLanguage.SQL: "--", NotebookLanguage.SCALA: "//"}


class ImportObjectRequest(RequestModel):
    """``workspace/import``: a notebook or file and its base64 content."""

    path: str
    format: str | None = None
    language: str | None = None
    content: str | None = None
    overwrite: LenientBool = False


class MkdirsRequest(RequestModel):
    """``workspace/mkdirs``: the folder to create, with its parents."""

    path: str


class DeleteObjectRequest(RequestModel):
    """``workspace/delete``: the object to delete; a non-empty folder only with ``recursive``."""

    path: str
    recursive: LenientBool = False


ImportForm = tuple[dict[str, Any], bytes | None]


async def import_form(request: Request) -> ImportForm:
    """The import request's fields, and its raw content when it came as a multipart upload
    (the SDK's ``workspace.upload``). A FastAPI dependency."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return await json_object(request), None
    fields = parse_multipart(content_type, await request.body())
    content = fields.pop("content", None)
    return {
        name: value.decode("utf-8", errors="replace") for name, value in fields.items()
    }, content


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """The named parts of a ``multipart/form-data`` body (the last one wins for a repeated
    name)."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise InvalidInputError("Malformed multipart request body: no boundary")
    fields: dict[str, bytes] = {}
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, separator, value = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise InvalidInputError("Malformed multipart request body: a part has no headers")
        disposition = Message()
        for line in head.decode("latin-1").split("\r\n"):
            name, _, text = line.partition(":")
            if name.strip().lower() == "content-disposition":
                disposition["content-disposition"] = text.strip()
        field_name = disposition.get_param("name", header="content-disposition")
        if isinstance(field_name, str):
            fields[field_name] = value.removesuffix(b"\r\n")
    return fields


@router.post("/workspace/import", openapi_extra=ImportObjectRequest.openapi())
def import_object(form: Annotated[ImportForm, Depends(import_form)], ctx: Context) -> Response:
    """Create or replace a notebook (SOURCE, JUPYTER, AUTO) or a file (AUTO, RAW)."""
    body, uploaded = form
    request = parse_body(ImportObjectRequest, body)
    content = uploaded if uploaded is not None else _decode_content(request.content)
    import_format = _format(request.format, "SOURCE")
    workspace = ctx.services.workspace

    def store() -> Response:
        if import_format == "RAW":
            workspace.import_file(request.path, content, overwrite=request.overwrite)
            return json_response({})
        if import_format == "AUTO":
            notebook = classify_import(request.path, content)
        elif import_format == "JUPYTER":
            notebook = (NotebookLanguage.PYTHON, NotebookFormat.JUPYTER)
        else:
            notebook = (_language(request.language), NotebookFormat.SOURCE)
        if notebook is None:
            workspace.import_file(request.path, content, overwrite=request.overwrite)
        else:
            language, notebook_format = notebook
            workspace.import_notebook(
                request.path,
                content,
                language=language,
                notebook_format=notebook_format,
                overwrite=request.overwrite,
            )
        return json_response({})

    return _answer(request.path, store)


@router.get("/workspace/export")
def export_object(
    ctx: Context,
    path: PathQuery = None,
    format_name: Annotated[str | None, Query(alias="format")] = None,
    direct_download: Annotated[bool, Query()] = False,
) -> Response:
    """A notebook or file as ``{content (base64), file_type}``, or its bytes with
    ``direct_download``."""
    export_format = _format(format_name, "SOURCE")
    where = _required_path(path)

    def export() -> Response:
        found, file = ctx.services.workspace.read(where)
        content, file_type = _exported(found, file.read_bytes(), file.name, export_format)
        if direct_download:
            name = found.path.rsplit("/", 1)[-1]
            if found.object_type is ObjectType.NOTEBOOK:
                name = f"{name}.{file_type}"
            disposition = f"attachment; filename*=UTF-8''{quote(name)}"
            return Response(
                content,
                media_type="application/octet-stream",
                headers={"Content-Disposition": disposition},
            )
        answer = {"content": base64.b64encode(content).decode("ascii")}
        if file_type:
            answer["file_type"] = file_type
        return json_response(answer)

    return _answer(where, export)


@router.get("/workspace/list")
def list_objects(ctx: Context, path: PathQuery = None) -> Response:
    """The objects in a folder (``{}`` for an empty one), or the object itself."""
    where = _required_path(path)

    def listing() -> Response:
        objects = [object_info(item) for item in ctx.services.workspace.list(where)]
        return json_response({"objects": objects} if objects else {})

    return _answer(where, listing)


@router.get("/workspace/get-status")
def get_status(ctx: Context, path: PathQuery = None) -> Response:
    """One object's ObjectInfo."""
    where = _required_path(path)
    return _answer(
        where, lambda: json_response(object_info(ctx.services.workspace.get_status(where)))
    )


@router.post("/workspace/mkdirs", openapi_extra=MkdirsRequest.openapi())
def mkdirs(body: Annotated[dict[str, Any], Depends(json_object)], ctx: Context) -> Response:
    """Create a folder and its parents (nothing when it exists)."""
    request = parse_body(MkdirsRequest, body)

    def create() -> Response:
        ctx.services.workspace.mkdirs(request.path)
        return json_response({})

    return _answer(request.path, create)


@router.post("/workspace/delete", openapi_extra=DeleteObjectRequest.openapi())
def delete_object(body: Annotated[dict[str, Any], Depends(json_object)], ctx: Context) -> Response:
    """Delete a notebook, file or folder (a non-empty folder only with ``recursive``)."""
    request = parse_body(DeleteObjectRequest, body)

    def delete() -> Response:
        ctx.services.workspace.delete(request.path, recursive=request.recursive)
        return json_response({})

    return _answer(request.path, delete)


def object_info(item: WorkspaceObject) -> dict[str, Any]:
    """A workspace object as the API's ObjectInfo (absent fields left out)."""
    info: dict[str, Any] = {"object_type": item.object_type.value, "path": item.path}
    if item.language is not None:
        info["language"] = item.language.value
    optional = {
        "object_id": item.object_id,
        "size": item.size,
        "created_at": item.created_at,
        "modified_at": item.modified_at,
    }
    info.update({name: value for name, value in optional.items() if value is not None})
    return info


def _answer(path: str, action: Callable[[], Response]) -> Response:
    try:
        return action()
    except WorkspacePathNotFoundError as exc:
        raise ResourceNotFoundError(f"Path ({path}) doesn't exist.") from exc


def _required_path(path: str | None) -> str:
    if path is None or not path.strip():
        raise InvalidInputError("Missing required field: path")
    return path


def _decode_content(content: str | None) -> bytes:
    if content is None:
        raise InvalidInputError("Missing required field: content")
    try:
        # Some clients wrap base64 in lines (base64.encodebytes); whitespace is not content.
        return base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError(f"Invalid value for 'content': not valid base64 ({exc})") from exc


def _format(value: str | None, default: str) -> str:
    if value is None or not value.strip():
        return default
    name = value.strip().upper()
    if name in _UNSUPPORTED_FORMATS:
        raise InvalidInputError(
            f"Invalid value for 'format': {name} is not supported by brickyard; use "
            f"{', '.join(_SUPPORTED_FORMATS)}"
        )
    if name not in _SUPPORTED_FORMATS:
        raise InvalidInputError(
            f"Invalid value for 'format': {value!r} is not one of "
            f"{', '.join(_SUPPORTED_FORMATS + _UNSUPPORTED_FORMATS)}"
        )
    return name


def _language(value: str | None) -> NotebookLanguage:
    if value is None or not value.strip():
        raise InvalidInputError(
            "Missing required field: language (a SOURCE import is a notebook in PYTHON, SQL, "
            "SCALA or R; use format AUTO or RAW for a plain file)"
        )
    try:
        return NotebookLanguage(value.strip().upper())
    except ValueError:
        choices = ", ".join(language.value for language in NotebookLanguage)
        raise InvalidInputError(
            f"Invalid value for 'language': {value!r} is not one of {choices}"
        ) from None


def _exported(
    found: WorkspaceObject, content: bytes, file_name: str, export_format: str
) -> tuple[bytes, str | None]:
    """The bytes an export answers and their ``file_type``."""
    if found.object_type is not ObjectType.NOTEBOOK:
        if export_format == "JUPYTER":
            raise InvalidInputError(
                f"Invalid value for 'format': {found.path} is a file, not a notebook; export it "
                "with SOURCE, AUTO or RAW"
            )
        _, dot, extension = file_name.rpartition(".")
        return content, extension.lower() if dot and extension else None
    language = found.language or NotebookLanguage.PYTHON
    is_jupyter = file_name.lower().endswith(".ipynb")
    stored = NotebookFormat.JUPYTER if is_jupyter else NotebookFormat.SOURCE
    wanted = {"SOURCE": NotebookFormat.SOURCE, "JUPYTER": NotebookFormat.JUPYTER}.get(
        export_format, stored
    )
    file_type = notebook_extension(language, wanted).lstrip(".")
    if wanted is stored:
        return content, file_type
    if wanted is NotebookFormat.JUPYTER:
        return source_to_jupyter(content, language, found.path.rsplit("/", 1)[-1]), file_type
    return jupyter_to_source(content, language, found.path), file_type


def source_to_jupyter(content: bytes, language: NotebookLanguage, name: str) -> bytes:
    """A source notebook as an nbformat 4 document: ``%md`` cells become markdown cells, the
    others code cells (magic lines kept), titles go to the Databricks cell metadata."""
    parsed = parse_source_notebook(content.decode("utf-8", errors="replace"), language.value)
    cells: list[dict[str, Any]] = []
    for cell in parsed.cells:
        metadata: dict[str, Any] = {}
        if cell.title:
            metadata["application/vnd.databricks.v1+cell"] = {"title": cell.title}
        if cell.kind is CellKind.MARKDOWN:
            cells.append(
                {"cell_type": "markdown", "metadata": metadata, "source": _lines(cell.body)}
            )
        else:
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": metadata,
                    "outputs": [],
                    "source": _lines(cell.source),
                }
            )
    language_name = language.value.lower()
    document = {
        "cells": cells,
        "metadata": {
            "application/vnd.databricks.v1+notebook": {
                "language": language_name,
                "notebookName": name,
            },
            "language_info": {"name": language_name},
        },
        "nbformat": 4,
        "nbformat_minor": 0,
    }
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"


def jupyter_to_source(content: bytes, language: NotebookLanguage, path: str) -> bytes:
    """A Jupyter notebook in the Databricks source format: markdown and ``%magic`` cells as
    ``MAGIC`` lines, cells separated by ``COMMAND`` lines."""
    parsed = parse_ipynb_notebook(content.decode("utf-8", errors="replace"), source=path)
    prefix = _MAGIC_PREFIX.get(language, "#")
    chunks: list[str] = []
    for cell in parsed.cells:
        if cell.kind is CellKind.MARKDOWN:
            lines = ["%md", *cell.body.splitlines()]
        elif cell.source.startswith("%"):
            lines = cell.source.splitlines()
        else:
            chunks.append(cell.source)
            continue
        chunks.append(
            "\n".join(f"{prefix} MAGIC {line}" if line else f"{prefix} MAGIC" for line in lines)
        )
    separator = f"\n\n{prefix} COMMAND ----------\n\n"
    return f"{source_header(language)}\n{separator.join(chunks)}\n".encode()


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)
