"""Personal access tokens, stored as SHA-256 hashes (the value itself is never stored)."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import Connection, delete, func, insert, select

from brickyard.errors import ResourceNotFoundError
from brickyard.storage._columns import AnyRow
from brickyard.storage.records import TokenRecord
from brickyard.storage.schema import TOKENS

NEVER_EXPIRES = -1

ADMIN_USER = "admin"
"""The user the bootstrap and default CLI tokens belong to."""

MAX_LIFETIME_SECONDS = 100 * 365 * 24 * 3600
"""The longest lifetime a token may be given (100 years)."""

AUTH_CACHE_SECONDS = 5.0
"""How long a running server trusts a token it checked without reading the store again."""


def new_token_value() -> str:
    """A fresh token in the Databricks personal access token format (``dapi`` + 32 hex)."""
    return "dapi" + secrets.token_hex(16)


def new_token_id() -> str:
    """A fresh token id (shown by token/list, used by token/delete)."""
    return uuid.uuid4().hex


def hash_token(value: str) -> str:
    """The stored form of a token value."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def create_token(
    conn: Connection,
    *,
    token_id: str,
    value: str,
    user_name: str,
    is_admin: bool,
    comment: str,
    now_ms: int,
    expiry_time: int = NEVER_EXPIRES,
) -> TokenRecord:
    """Store a token (by its hash) for ``user_name``."""
    record = TokenRecord(
        token_id=token_id,
        user_name=user_name,
        is_admin=is_admin,
        comment=comment,
        creation_time=now_ms,
        expiry_time=expiry_time,
    )
    conn.execute(
        insert(TOKENS).values(
            token_id=token_id,
            token_hash=hash_token(value),
            user_name=user_name,
            is_admin=is_admin,
            comment=comment,
            creation_time=now_ms,
            expiry_time=expiry_time,
        )
    )
    return record


def issue_token(
    conn: Connection,
    *,
    user_name: str,
    is_admin: bool,
    comment: str,
    now_ms: int,
    lifetime_seconds: int | None = None,
) -> tuple[str, TokenRecord]:
    """Create a fresh token (new value and id) and return its value, shown this once only,
    with its record. Without ``lifetime_seconds`` it never expires."""
    value = new_token_value()
    expiry = NEVER_EXPIRES if lifetime_seconds is None else now_ms + lifetime_seconds * 1000
    record = create_token(
        conn,
        token_id=new_token_id(),
        value=value,
        user_name=user_name,
        is_admin=is_admin,
        comment=comment,
        now_ms=now_ms,
        expiry_time=expiry,
    )
    return value, record


def find_token(conn: Connection, value: str) -> TokenRecord | None:
    """The token whose value is ``value`` (expired or not), if any."""
    row = conn.execute(select(TOKENS).where(TOKENS.c.token_hash == hash_token(value))).first()
    return None if row is None else _record(row)


def list_tokens(conn: Connection, *, user_name: str | None = None) -> list[TokenRecord]:
    """Tokens by creation time (only ``user_name``'s when given)."""
    stmt = select(TOKENS).order_by(TOKENS.c.creation_time, TOKENS.c.token_id)
    if user_name is not None:
        stmt = stmt.where(TOKENS.c.user_name == user_name)
    return [_record(row) for row in conn.execute(stmt)]


def count_tokens(conn: Connection) -> int:
    """How many tokens exist."""
    return int(conn.execute(select(func.count()).select_from(TOKENS)).scalar_one())


def read_token(conn: Connection, token_id: str) -> TokenRecord:
    """The token ``token_id``; ResourceNotFoundError when there is none."""
    row = conn.execute(select(TOKENS).where(TOKENS.c.token_id == token_id)).first()
    if row is None:
        raise ResourceNotFoundError(f"Token {token_id} does not exist.")
    return _record(row)


def delete_token(conn: Connection, token_id: str) -> None:
    """Revoke a token; ResourceNotFoundError when there is none."""
    if conn.execute(delete(TOKENS).where(TOKENS.c.token_id == token_id)).rowcount == 0:
        raise ResourceNotFoundError(f"Token {token_id} does not exist.")


def _record(row: AnyRow) -> TokenRecord:
    return TokenRecord(
        token_id=row.token_id,
        user_name=row.user_name,
        is_admin=row.is_admin,
        comment=row.comment,
        creation_time=row.creation_time,
        expiry_time=row.expiry_time,
    )
