"""The Statement Execution API 2.0 (``/api/2.0/sql/statements``), as databricks-sdk's
``w.statement_execution`` calls it: execute (with ``wait_timeout`` and ``on_wait_timeout``),
get, get a result chunk, cancel. Results page in chunks (see
:mod:`brickyard.warehouse.statements`); a SQL error is a FAILED statement with the reason in
``status.error``, as on Databricks, not an HTTP error.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from brickyard.api.body import parse_body
from brickyard.api.dependencies import Body, Context
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.errors import ResourceNotFoundError
from brickyard.spec import LenientInt, LenientStr
from brickyard.warehouse.json_rows import json_array_rows
from brickyard.warehouse.parameters import parameters_from_json
from brickyard.warehouse.statements import (
    Statement,
    StatementRequest,
    arrow_stream,
    attachment,
    csv_bytes,
)

router = APIRouter(tags=["statement execution"])
download_router = APIRouter(tags=["statement execution"])
"""Served without a token: an EXTERNAL_LINKS link carries the statement's own secret."""


class ParameterModel(RequestModel):
    """A named parameter: ``:name`` in the statement."""

    name: LenientStr
    value: LenientStr | None = None
    type: LenientStr | None = None


class ExecuteRequest(RequestModel):
    """``POST /sql/statements``."""

    statement: LenientStr
    warehouse_id: LenientStr
    catalog: LenientStr | None = None
    schema_: LenientStr | None = None
    parameters: list[ParameterModel] | None = None
    row_limit: LenientInt | None = None
    byte_limit: LenientInt | None = None
    disposition: LenientStr | None = None
    format: LenientStr | None = None
    wait_timeout: LenientStr | None = None
    on_wait_timeout: LenientStr | None = None


@router.post("/sql/statements")
def execute_statement(body: Body, ctx: Context) -> Response:
    """Run a statement; answers when it is done or ``wait_timeout`` has passed."""
    request = parse_body(ExecuteRequest, {**body, "schema_": body.get("schema")})
    statement = ctx.services.statements.execute(
        StatementRequest(
            statement=request.statement,
            warehouse_id=request.warehouse_id,
            catalog=request.catalog,
            schema=request.schema_,
            parameters=tuple(parameters_from_json(body.get("parameters")).values()),
            row_limit=request.row_limit,
            disposition=(request.disposition or "INLINE").upper(),
            format=(request.format or "JSON_ARRAY").upper(),
            wait_timeout=request.wait_timeout or "10s",
            on_wait_timeout=(request.on_wait_timeout or "CONTINUE").upper(),
        )
    )
    return json_response(statement_response(ctx.base_url, statement))


@router.get("/sql/statements/{statement_id}")
def get_statement(statement_id: str, ctx: Context) -> Response:
    """A statement's state, and its manifest and first chunk once it has succeeded."""
    statement = ctx.services.statements.get(statement_id)
    return json_response(statement_response(ctx.base_url, statement))


@router.get("/sql/statements/{statement_id}/result/chunks/{chunk_index}")
def get_chunk(statement_id: str, chunk_index: int, ctx: Context) -> Response:
    """One chunk of a result."""
    statement = ctx.services.statements.get(statement_id)
    ctx.services.statements.chunk(statement_id, chunk_index)
    return json_response(result_data(ctx.base_url, statement, chunk_index))


@router.post("/sql/statements/{statement_id}/cancel")
def cancel_statement(statement_id: str, ctx: Context) -> Response:
    """Cancel a statement that has not finished."""
    ctx.services.statements.cancel(statement_id)
    return json_response({})


@download_router.get("/sql/statements/{statement_id}/result/chunks/{chunk_index}/download")
def download_chunk(
    statement_id: str, chunk_index: int, ctx: Context, secret: Annotated[str, Query()]
) -> Response:
    """An EXTERNAL_LINKS chunk: the Arrow stream (or CSV) itself."""
    statement = ctx.services.statements.get(statement_id)
    if not secrets.compare_digest(secret, statement.secret):
        raise ResourceNotFoundError(f"Statement {statement_id} does not exist or has expired.")
    chunk = ctx.services.statements.chunk(statement_id, chunk_index)
    if statement.request.format == "CSV":
        return Response(csv_bytes(chunk), media_type="text/csv")
    return Response(arrow_stream(chunk), media_type="application/vnd.apache.arrow.stream")


def statement_response(base_url: str, statement: Statement) -> dict[str, Any]:
    """A ``StatementResponse``."""
    status: dict[str, Any] = {"state": statement.state}
    if statement.error:
        status["error"] = statement.error
    body: dict[str, Any] = {"statement_id": statement.statement_id, "status": status}
    if statement.state == "SUCCEEDED" and statement.result is not None:
        body["manifest"] = manifest(statement)
        body["result"] = result_data(base_url, statement, 0)
    return body


def manifest(statement: Statement) -> dict[str, Any]:
    """The ``ResultManifest`` of a succeeded statement."""
    result = statement.result
    assert result is not None
    columns = []
    for column in result.columns:
        info: dict[str, Any] = {
            "name": column.name,
            "position": column.position,
            "type_name": column.type_name,
            "type_text": column.type_text,
        }
        if column.type_precision is not None:
            info["type_precision"] = column.type_precision
            info["type_scale"] = column.type_scale or 0
        columns.append(info)
    chunks = []
    offset = 0
    for index, chunk in enumerate(statement.chunks):
        chunks.append(
            {
                "chunk_index": index,
                "row_offset": offset,
                "row_count": chunk.num_rows,
                "byte_count": chunk.nbytes,
            }
        )
        offset += chunk.num_rows
    return {
        "format": statement.request.format,
        "schema": {"column_count": len(columns), "columns": columns},
        "total_chunk_count": len(chunks),
        "chunks": chunks,
        "total_row_count": offset,
        "total_byte_count": sum(c.nbytes for c in statement.chunks),
        "truncated": result.truncated,
    }


def result_data(base_url: str, statement: Statement, index: int) -> dict[str, Any]:
    """Chunk ``index`` as ``ResultData`` in the statement's disposition and format."""
    chunk = statement.chunks[index]
    offset = sum(c.num_rows for c in statement.chunks[:index])
    data: dict[str, Any] = {
        "chunk_index": index,
        "row_offset": offset,
        "row_count": chunk.num_rows,
        "byte_count": chunk.nbytes,
    }
    if statement.request.disposition == "EXTERNAL_LINKS":
        link = (
            f"{base_url}/api/2.0/sql/statements/{statement.statement_id}/result/chunks/"
            f"{index}/download?secret={statement.secret}"
        )
        entry = {**data, "external_link": link, "expiration": "9999-12-31T23:59:59Z"}
        data = {"external_links": [entry], **data}
    elif statement.request.format == "ARROW_STREAM":
        data["attachment"] = attachment(chunk)
    else:
        data["data_array"] = json_array_rows(chunk)
    if index + 1 < len(statement.chunks):
        data["next_chunk_index"] = index + 1
        data["next_chunk_internal_link"] = (
            f"/api/2.0/sql/statements/{statement.statement_id}/result/chunks/{index + 1}"
        )
    return data
