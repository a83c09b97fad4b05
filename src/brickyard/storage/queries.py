"""Saved SQL queries (the Queries API's store; the legacy API is another view of the rows)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from brickyard.errors import ResourceNotFoundError
from brickyard.storage._columns import AnyRow, checked_changes
from brickyard.storage.records import SqlQueryRecord
from brickyard.storage.schema import SQL_QUERIES


def query_not_found(query_id: str) -> ResourceNotFoundError:
    """The error for an unknown id (404 ``RESOURCE_DOES_NOT_EXIST``)."""
    return ResourceNotFoundError(f"Query {query_id} does not exist.")


def insert_query(conn: Connection, record: SqlQueryRecord) -> SqlQueryRecord:
    """Store a new query."""
    conn.execute(insert(SQL_QUERIES).values(**record.__dict__))
    return record


def read_query(conn: Connection, query_id: str) -> SqlQueryRecord:
    """The query ``query_id`` (trashed ones too); ResourceNotFoundError when there is none."""
    row = conn.execute(select(SQL_QUERIES).where(SQL_QUERIES.c.query_id == query_id)).first()
    if row is None:
        raise query_not_found(query_id)
    return _query(row)


def list_queries(
    conn: Connection, *, offset: int, limit: int, search: str | None = None
) -> tuple[list[SqlQueryRecord], int]:
    """One page of the active queries, newest first, and how many there are in all."""
    condition = SQL_QUERIES.c.lifecycle_state == "ACTIVE"
    if search:
        condition = condition & SQL_QUERIES.c.display_name.ilike(f"%{search}%")
    total = conn.execute(select(func.count()).select_from(SQL_QUERIES).where(condition))
    rows = conn.execute(
        select(SQL_QUERIES)
        .where(condition)
        .order_by(SQL_QUERIES.c.created_time.desc(), SQL_QUERIES.c.query_id)
        .offset(offset)
        .limit(limit)
    )
    return [_query(row) for row in rows], int(total.scalar_one())


def update_query(conn: Connection, query_id: str, **changes: Any) -> SqlQueryRecord:
    """Change columns of a query and return it as stored."""
    values = checked_changes(SQL_QUERIES, changes, forbidden=("query_id",), caller="update_query")
    if values:
        result = conn.execute(
            update(SQL_QUERIES).where(SQL_QUERIES.c.query_id == query_id).values(**values)
        )
        if result.rowcount == 0:
            raise query_not_found(query_id)
    return read_query(conn, query_id)


def _query(row: AnyRow) -> SqlQueryRecord:
    return SqlQueryRecord(
        query_id=row.query_id,
        display_name=row.display_name,
        query_text=row.query_text,
        warehouse_id=row.warehouse_id,
        catalog=row.catalog,
        schema_name=row.schema_name,
        description=row.description,
        parameters=list(row.parameters or ()),
        tags=list(row.tags or ()),
        owner_user_name=row.owner_user_name,
        last_modifier_user_name=row.last_modifier_user_name,
        lifecycle_state=row.lifecycle_state,
        created_time=row.created_time,
        updated_time=row.updated_time,
    )
