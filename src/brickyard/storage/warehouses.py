"""SQL warehouses (the SQL Warehouses API's store)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from brickyard.errors import ResourceNotFoundError
from brickyard.storage._columns import AnyRow, checked_changes, plain
from brickyard.storage.records import SqlWarehouseRecord
from brickyard.storage.schema import SQL_WAREHOUSES


def warehouse_not_found(warehouse_id: str) -> ResourceNotFoundError:
    """The error for an unknown id (404 ``RESOURCE_DOES_NOT_EXIST``, as Databricks answers)."""
    return ResourceNotFoundError(f"SQL warehouse {warehouse_id} does not exist.")


def insert_warehouse(conn: Connection, record: SqlWarehouseRecord) -> SqlWarehouseRecord:
    """Store a new warehouse."""
    conn.execute(
        insert(SQL_WAREHOUSES).values(
            **{name: plain(value) for name, value in record.__dict__.items()}
        )
    )
    return record


def read_warehouse(conn: Connection, warehouse_id: str) -> SqlWarehouseRecord:
    """The warehouse ``warehouse_id``; ResourceNotFoundError when there is none."""
    row = conn.execute(
        select(SQL_WAREHOUSES).where(SQL_WAREHOUSES.c.warehouse_id == warehouse_id)
    ).first()
    if row is None:
        raise warehouse_not_found(warehouse_id)
    return _warehouse(row)


def list_warehouses(conn: Connection) -> list[SqlWarehouseRecord]:
    """Every warehouse, oldest first."""
    query = select(SQL_WAREHOUSES).order_by(
        SQL_WAREHOUSES.c.created_time, SQL_WAREHOUSES.c.warehouse_id
    )
    return [_warehouse(row) for row in conn.execute(query)]


def update_warehouse(conn: Connection, warehouse_id: str, **changes: Any) -> SqlWarehouseRecord:
    """Change columns of a warehouse and return it as stored."""
    values = checked_changes(
        SQL_WAREHOUSES, changes, forbidden=("warehouse_id",), caller="update_warehouse"
    )
    if values:
        result = conn.execute(
            update(SQL_WAREHOUSES)
            .where(SQL_WAREHOUSES.c.warehouse_id == warehouse_id)
            .values(**values)
        )
        if result.rowcount == 0:
            raise warehouse_not_found(warehouse_id)
    return read_warehouse(conn, warehouse_id)


def delete_warehouse(conn: Connection, warehouse_id: str) -> None:
    """Forget a warehouse."""
    result = conn.execute(
        delete(SQL_WAREHOUSES).where(SQL_WAREHOUSES.c.warehouse_id == warehouse_id)
    )
    if result.rowcount == 0:
        raise warehouse_not_found(warehouse_id)


def _warehouse(row: AnyRow) -> SqlWarehouseRecord:
    return SqlWarehouseRecord(
        warehouse_id=row.warehouse_id,
        name=row.name,
        spec=dict(row.spec),
        state=row.state,
        creator_name=row.creator_name,
        created_time=row.created_time,
        last_activity_time=row.last_activity_time,
        health=None if row.health is None else dict(row.health),
    )
