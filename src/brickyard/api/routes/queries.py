"""Saved SQL queries: the Queries API (``/api/2.0/sql/queries``), the legacy Queries API
(``/api/2.0/preview/sql/queries``, whose ids older jobs' ``sql_task.query.query_id`` name) and
the legacy data sources it refers to (``/api/2.0/preview/sql/data_sources``).

Both APIs are views of the same rows, so a query created through one is read through the
other. In brickyard a warehouse's data source id is its warehouse id. Deleting a query moves
it to the trash (``lifecycle_state`` TRASHED, legacy ``is_archived``), as on Databricks; the
legacy ``restore`` brings it back.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query
from starlette.responses import Response

from brickyard import storage
from brickyard.api.dependencies import Body, Caller, Context
from brickyard.api.responses import json_response
from brickyard.errors import InvalidInputError

router = APIRouter(tags=["queries"])

DEFAULT_PAGE_SIZE: Final = 20
MAX_PAGE_SIZE: Final = 1000
_UPDATABLE: Final = {
    "display_name": "display_name",
    "query_text": "query_text",
    "warehouse_id": "warehouse_id",
    "catalog": "catalog",
    "schema": "schema_name",
    "description": "description",
    "parameters": "parameters",
    "tags": "tags",
    "owner_user_name": "owner_user_name",
}
"""``update_mask`` field -> column."""

# -- the Queries API ---------------------------------------------------------------------------


@router.post("/sql/queries")
def create_query(body: Body, ctx: Context, caller: Caller) -> Response:
    """A new saved query."""
    query = _object(body.get("query"), "query")
    text = _text(query.get("query_text"), "query.query_text")
    name = query.get("display_name") or f"New Query {datetime.now(UTC):%Y-%m-%d %H:%M}"
    record = _create(
        ctx,
        caller.user_name,
        display_name=_text(name, "query.display_name"),
        query_text=text,
        warehouse_id=_optional_text(query.get("warehouse_id"), "query.warehouse_id"),
        catalog=_optional_text(query.get("catalog"), "query.catalog"),
        schema_name=_optional_text(query.get("schema"), "query.schema"),
        description=_optional_text(query.get("description"), "query.description"),
        parameters=_parameters(query.get("parameters"), "query.parameters"),
        tags=_tags(query.get("tags"), "query.tags"),
    )
    return json_response(query_info(record))


@router.get("/sql/queries")
def list_queries(
    ctx: Context,
    page_size: Annotated[int | None, Query(ge=1)] = None,
    page_token: Annotated[str | None, Query()] = None,
) -> Response:
    """The active queries, newest first, a page at a time."""
    offset = _offset_of(page_token)
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    with ctx.services.database.read() as conn:
        records, total = storage.list_queries(conn, offset=offset, limit=size)
    response: dict[str, Any] = {"results": [query_info(r) for r in records]}
    if offset + size < total:
        response["next_page_token"] = str(offset + size)
    return json_response(response)


@router.get("/sql/queries/{query_id}")
def get_query(query_id: str, ctx: Context) -> Response:
    """One query."""
    with ctx.services.database.read() as conn:
        return json_response(query_info(storage.read_query(conn, query_id)))


@router.patch("/sql/queries/{query_id}")
def update_query(query_id: str, body: Body, ctx: Context, caller: Caller) -> Response:
    """Change the fields ``update_mask`` names (``*``: every field given)."""
    query = _object(body.get("query"), "query")
    mask = body.get("update_mask")
    if not isinstance(mask, str) or not mask.strip():
        raise InvalidInputError("update_mask is required (the fields to change, or *)")
    fields = list(query) if mask.strip() == "*" else [f.strip() for f in mask.split(",")]
    changes: dict[str, Any] = {}
    for field in fields:
        column = _UPDATABLE.get(field)
        if column is None:
            raise InvalidInputError(f"update_mask: {field!r} is not a field of a query")
        value = query.get(field)
        if field == "parameters":
            value = _parameters(value, "query.parameters")
        elif field == "tags":
            value = _tags(value, "query.tags")
        elif field in ("display_name", "query_text"):
            value = _text(value, f"query.{field}")
        else:
            value = _optional_text(value, f"query.{field}")
        changes[column] = value
    if changes.get("warehouse_id"):
        ctx.services.warehouses.get(changes["warehouse_id"])
    with ctx.services.database.transaction() as conn:
        record = storage.update_query(
            conn,
            query_id,
            **changes,
            last_modifier_user_name=caller.user_name,
            updated_time=ctx.services.clock.now_ms(),
        )
    return json_response(query_info(record))


@router.delete("/sql/queries/{query_id}")
def trash_query(query_id: str, ctx: Context) -> Response:
    """Move a query to the trash."""
    _set_lifecycle(ctx, query_id, "TRASHED")
    return json_response({})


# -- the legacy Queries API --------------------------------------------------------------------


@router.post("/preview/sql/queries")
def create_legacy_query(body: Body, ctx: Context, caller: Caller) -> Response:
    """A new saved query, in the legacy shape (``data_source_id`` is the warehouse id)."""
    options = body.get("options") or {}
    if not isinstance(options, dict):
        raise InvalidInputError("options must be an object")
    record = _create(
        ctx,
        caller.user_name,
        display_name=_text(body.get("name") or "New Query", "name"),
        query_text=_text(body.get("query"), "query"),
        warehouse_id=_optional_text(body.get("data_source_id"), "data_source_id"),
        catalog=_optional_text(options.get("catalog"), "options.catalog"),
        schema_name=_optional_text(options.get("schema"), "options.schema"),
        description=_optional_text(body.get("description"), "description"),
        parameters=[
            _from_legacy(p) for p in _list(options.get("parameters"), "options.parameters")
        ],
        tags=_tags(body.get("tags"), "tags"),
    )
    return json_response(legacy_query_info(record))


@router.get("/preview/sql/queries")
def list_legacy_queries(
    ctx: Context,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1)] = 25,
    q: Annotated[str | None, Query()] = None,
) -> Response:
    """One page of the active queries, in the legacy shape."""
    size = min(page_size, 250)
    with ctx.services.database.read() as conn:
        records, total = storage.list_queries(conn, offset=(page - 1) * size, limit=size, search=q)
    return json_response(
        {
            "count": total,
            "page": page,
            "page_size": size,
            "results": [legacy_query_info(r) for r in records],
        }
    )


@router.get("/preview/sql/queries/{query_id}")
def get_legacy_query(query_id: str, ctx: Context) -> Response:
    """One query, in the legacy shape."""
    with ctx.services.database.read() as conn:
        return json_response(legacy_query_info(storage.read_query(conn, query_id)))


@router.post("/preview/sql/queries/{query_id}")
def update_legacy_query(query_id: str, body: Body, ctx: Context, caller: Caller) -> Response:
    """Change the fields given, in the legacy shape."""
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["display_name"] = _text(body["name"], "name")
    if "query" in body:
        changes["query_text"] = _text(body["query"], "query")
    if "data_source_id" in body:
        changes["warehouse_id"] = _optional_text(body["data_source_id"], "data_source_id")
        if changes["warehouse_id"]:
            ctx.services.warehouses.get(changes["warehouse_id"])
    if "description" in body:
        changes["description"] = _optional_text(body["description"], "description")
    if "tags" in body:
        changes["tags"] = _tags(body["tags"], "tags")
    options = body.get("options")
    if isinstance(options, dict) and "parameters" in options:
        changes["parameters"] = [
            _from_legacy(p) for p in _list(options["parameters"], "options.parameters")
        ]
    with ctx.services.database.transaction() as conn:
        record = storage.update_query(
            conn,
            query_id,
            **changes,
            last_modifier_user_name=caller.user_name,
            updated_time=ctx.services.clock.now_ms(),
        )
    return json_response(legacy_query_info(record))


@router.delete("/preview/sql/queries/{query_id}")
def trash_legacy_query(query_id: str, ctx: Context) -> Response:
    """Move a query to the trash."""
    _set_lifecycle(ctx, query_id, "TRASHED")
    return json_response({})


@router.post("/preview/sql/queries/trash/{query_id}")
def restore_legacy_query(query_id: str, ctx: Context) -> Response:
    """Bring a query back from the trash."""
    _set_lifecycle(ctx, query_id, "ACTIVE")
    return json_response({})


@router.get("/preview/sql/data_sources")
def list_data_sources(ctx: Context) -> Response:
    """Every warehouse as a legacy data source (its id is the warehouse id)."""
    sources = [
        {
            "id": record.warehouse_id,
            "name": record.name,
            "warehouse_id": record.warehouse_id,
            "type": "databricks_internal",
            "syntax": "sql",
            "paused": 0 if record.state == "RUNNING" else 1,
            "view_only": False,
            "supports_auto_limit": True,
        }
        for record in ctx.services.warehouses.list_warehouses()
    ]
    return json_response(sources)


# -- rendering ---------------------------------------------------------------------------------


def query_info(record: storage.SqlQueryRecord) -> dict[str, Any]:
    """A ``Query`` of the Queries API."""
    info: dict[str, Any] = {
        "id": record.query_id,
        "display_name": record.display_name,
        "query_text": record.query_text,
        "lifecycle_state": record.lifecycle_state,
        "parameters": record.parameters,
        "tags": record.tags,
        "create_time": _iso(record.created_time),
        "update_time": _iso(record.updated_time),
        "run_as_mode": "OWNER",
        "apply_auto_limit": False,
    }
    for key, value in (
        ("warehouse_id", record.warehouse_id),
        ("catalog", record.catalog),
        ("schema", record.schema_name),
        ("description", record.description),
        ("owner_user_name", record.owner_user_name),
        ("last_modifier_user_name", record.last_modifier_user_name),
    ):
        if value is not None:
            info[key] = value
    return info


def legacy_query_info(record: storage.SqlQueryRecord) -> dict[str, Any]:
    """A ``LegacyQuery``."""
    options: dict[str, Any] = {"parameters": [_to_legacy(p) for p in record.parameters]}
    if record.catalog:
        options["catalog"] = record.catalog
    if record.schema_name:
        options["schema"] = record.schema_name
    info: dict[str, Any] = {
        "id": record.query_id,
        "name": record.display_name,
        "query": record.query_text,
        "data_source_id": record.warehouse_id,
        "description": record.description,
        "options": options,
        "tags": record.tags,
        "is_archived": record.lifecycle_state == "TRASHED",
        "is_draft": False,
        "created_at": _iso(record.created_time),
        "updated_at": _iso(record.updated_time),
        "can_edit": True,
    }
    if record.owner_user_name:
        info["user"] = {"email": record.owner_user_name, "name": record.owner_user_name}
    return {k: v for k, v in info.items() if v is not None}


# -- helpers -----------------------------------------------------------------------------------


def _create(ctx: Any, user: str, **fields: Any) -> storage.SqlQueryRecord:
    if fields.get("warehouse_id"):
        ctx.services.warehouses.get(fields["warehouse_id"])  # 404 for an unknown warehouse
    now = ctx.services.clock.now_ms()
    record = storage.SqlQueryRecord(
        query_id=str(uuid.uuid4()),
        owner_user_name=user,
        last_modifier_user_name=user,
        lifecycle_state="ACTIVE",
        created_time=now,
        updated_time=now,
        **fields,
    )
    with ctx.services.database.transaction() as conn:
        storage.insert_query(conn, record)
    return record


def _set_lifecycle(ctx: Any, query_id: str, state: str) -> None:
    with ctx.services.database.transaction() as conn:
        storage.update_query(
            conn, query_id, lifecycle_state=state, updated_time=ctx.services.clock.now_ms()
        )


def _from_legacy(parameter: Any) -> dict[str, Any]:
    """A legacy ``{name, title, type, value}`` parameter in the Queries API's shape."""
    if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
        raise InvalidInputError("options.parameters: each parameter needs a name")
    converted: dict[str, Any] = {"name": parameter["name"], "title": parameter.get("title")}
    value = parameter.get("value")
    if parameter.get("type") == "number":
        converted["numeric_value"] = {"value": value}
    else:
        converted["text_value"] = {"value": "" if value is None else str(value)}
    return {k: v for k, v in converted.items() if v is not None}


def _to_legacy(parameter: dict[str, Any]) -> dict[str, Any]:
    """A Queries API parameter in the legacy shape."""
    legacy: dict[str, Any] = {"name": parameter.get("name"), "title": parameter.get("title")}
    if "numeric_value" in parameter:
        legacy.update(type="number", value=(parameter["numeric_value"] or {}).get("value"))
    else:
        legacy.update(type="text", value=(parameter.get("text_value") or {}).get("value"))
    return {k: v for k, v in legacy.items() if v is not None}


def _parameters(value: Any, field: str) -> list[dict[str, Any]]:
    parameters = _list(value, field)
    for index, parameter in enumerate(parameters):
        if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
            raise InvalidInputError(f"{field}[{index}]: a parameter needs a name")
    return parameters


def _tags(value: Any, field: str) -> list[str]:
    tags = _list(value, field)
    if not all(isinstance(tag, str) for tag in tags):
        raise InvalidInputError(f"{field}: tags are strings")
    return tags


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInputError(f"{field} must be a list")
    return value


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInputError(f"{field} is required (an object)")
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{field} is required")
    return value


def _optional_text(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{field} must be a string")
    return value


def _offset_of(page_token: str | None) -> int:
    if not page_token:
        return 0
    if not page_token.isdigit():
        raise InvalidInputError(f"page_token {page_token!r} is not one this server gave")
    return int(page_token)


def _iso(time_ms: int) -> str:
    return datetime.fromtimestamp(time_ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")
