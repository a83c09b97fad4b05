"""The SQL Warehouses API 2.0 (``/api/2.0/sql/warehouses``), as databricks-sdk's
``w.warehouses`` calls it: create, edit, get, list, start, stop, delete.

``create``, ``edit`` and ``start`` answer at once with the warehouse STARTING; the SDK's
``.result()`` polls ``get`` until it is RUNNING. Settings brickyard keeps but that do not
change how DuckDB runs (``cluster_size``, ``enable_photon``, ``spot_instance_policy``...)
are returned as given.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from brickyard import storage
from brickyard.api.dependencies import Body, Caller, Context
from brickyard.api.responses import json_response

router = APIRouter(tags=["sql warehouses"])


@router.post("/sql/warehouses")
def create_warehouse(body: Body, ctx: Context, caller: Caller) -> Response:
    """A new warehouse, STARTING."""
    record = ctx.services.warehouses.create(body, creator=caller.user_name)
    return json_response({"id": record.warehouse_id})


@router.get("/sql/warehouses")
def list_warehouses(ctx: Context) -> Response:
    """Every warehouse."""
    records = ctx.services.warehouses.list_warehouses()
    return json_response({"warehouses": [warehouse_info(ctx.base_url, r) for r in records]})


@router.get("/sql/warehouses/{warehouse_id}")
def get_warehouse(warehouse_id: str, ctx: Context) -> Response:
    """One warehouse."""
    return json_response(warehouse_info(ctx.base_url, ctx.services.warehouses.get(warehouse_id)))


@router.post("/sql/warehouses/{warehouse_id}/edit")
def edit_warehouse(warehouse_id: str, body: Body, ctx: Context) -> Response:
    """Change a warehouse's settings (a running one restarts)."""
    ctx.services.warehouses.edit(warehouse_id, body)
    return json_response({})


@router.post("/sql/warehouses/{warehouse_id}/start")
def start_warehouse(warehouse_id: str, ctx: Context) -> Response:
    """Start a stopped warehouse."""
    ctx.services.warehouses.start(warehouse_id)
    return json_response({})


@router.post("/sql/warehouses/{warehouse_id}/stop")
def stop_warehouse(warehouse_id: str, ctx: Context) -> Response:
    """Stop a warehouse."""
    ctx.services.warehouses.stop(warehouse_id)
    return json_response({})


@router.delete("/sql/warehouses/{warehouse_id}")
def delete_warehouse(warehouse_id: str, ctx: Context) -> Response:
    """Stop and forget a warehouse."""
    ctx.services.warehouses.delete(warehouse_id)
    return json_response({})


def warehouse_info(base_url: str, record: storage.SqlWarehouseRecord) -> dict[str, Any]:
    """The ``GetWarehouseResponse`` of a stored warehouse."""
    spec = {k: v for k, v in record.spec.items() if k != "sqlalchemy_url"}
    running = record.state == "RUNNING"
    host = base_url.split("://", 1)[-1].split("/", 1)[0]
    path = f"/sql/1.0/warehouses/{record.warehouse_id}"
    info: dict[str, Any] = {
        **spec,
        "id": record.warehouse_id,
        "name": record.name,
        "state": record.state,
        "num_clusters": 1 if running else 0,
        "num_active_sessions": 0,
        "odbc_params": {
            "hostname": host.split(":")[0],
            "path": path,
            "protocol": "https",
            "port": 443,
        },
        "jdbc_url": f"jdbc:databricks://{host}:443/default;transportMode=http;ssl=1;httpPath={path}",
        "engine": "sqlalchemy" if record.spec.get("sqlalchemy_url") else "duckdb",
    }
    if record.creator_name:
        info["creator_name"] = record.creator_name
    if record.health:
        info["health"] = record.health
    return info
