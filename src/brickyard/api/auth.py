"""Who is calling: bearer tokens (or Basic auth with the token as password), checked against
the stored hashes, with a short cache so a poll costs no database read.

The first server start creates an admin token and shows it once, or stores the one given in
``BRICKYARD_TOKEN``.
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass

from fastapi import Request

from brickyard import storage
from brickyard.clock import Clock
from brickyard.errors import UnauthenticatedError
from brickyard.storage import ADMIN_USER, new_token_id, new_token_value

__all__ = [
    "ADMIN_USER",
    "CACHE_SECONDS",
    "Authenticator",
    "Principal",
    "authenticated",
    "bootstrap_admin_token",
    "new_token_id",
    "new_token_value",
]

CACHE_SECONDS = storage.AUTH_CACHE_SECONDS
"""How long a checked token is trusted without reading the store again."""


@dataclass(frozen=True)
class Principal:
    """The caller: a user, whether it is an admin, and the token it used."""

    user_name: str
    is_admin: bool
    token_id: str


class Authenticator:
    """Turns an ``Authorization`` header into a :class:`Principal`, or raises 401."""

    def __init__(self, database: storage.Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._cache: dict[str, tuple[storage.TokenRecord, float]] = {}
        self._lock = threading.Lock()

    def authenticate(self, authorization: str | None) -> Principal:
        """The caller named by the header; UnauthenticatedError when there is none."""
        value = _token_from_header(authorization)
        record = self._lookup(value)
        if record is None:
            raise UnauthenticatedError("Invalid access token.")
        if record.is_expired(self._clock.now_ms()):
            raise UnauthenticatedError("Invalid access token: the token has expired.")
        return Principal(record.user_name, record.is_admin, record.token_id)

    def forget(self, token_id: str) -> None:
        """Drop a revoked token from the cache at once."""
        with self._lock:
            for value, (record, _) in list(self._cache.items()):
                if record.token_id == token_id:
                    del self._cache[value]

    def _lookup(self, value: str) -> storage.TokenRecord | None:
        now = self._clock.monotonic()
        with self._lock:
            cached = self._cache.get(value)
        if cached is not None and now - cached[1] < CACHE_SECONDS:
            return cached[0]
        with self._database.read() as conn:
            record = storage.find_token(conn, value)
        with self._lock:
            if record is None:
                self._cache.pop(value, None)
            else:
                self._cache[value] = (record, now)
        return record


def _token_from_header(authorization: str | None) -> str:
    if not authorization:
        raise UnauthenticatedError(
            "Missing authorization: send the header 'Authorization: Bearer <token>' "
            "(create a token with 'brickyard token create')."
        )
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        return credentials
    if scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise UnauthenticatedError("Malformed Basic authorization header.") from exc
        _, _, password = decoded.partition(":")
        if password:
            return password
    raise UnauthenticatedError(
        "Unsupported authorization: use 'Authorization: Bearer <token>' (or Basic with the "
        "token as the password)."
    )


async def authenticated(request: Request) -> Principal:
    """The FastAPI dependency every ``/api`` route runs first.

    ``async`` so FastAPI runs it on the event loop: a sync dependency costs a thread-pool
    round trip per request, more than the check itself (a cached dictionary lookup; the store
    is read once per token every few seconds).
    """
    authenticator: Authenticator = request.app.state.authenticator
    principal = authenticator.authenticate(request.headers.get("authorization"))
    request.state.principal = principal
    return principal


def bootstrap_admin_token(
    database: storage.Database, clock: Clock, given: str | None
) -> str | None:
    """Make sure an admin can log in.

    ``given`` (``BRICKYARD_TOKEN``) is stored as an admin token unless it already is. With no
    token given and none stored, a new admin token is created and returned so the caller shows
    it once; otherwise None.
    """
    with database.transaction() as conn:
        if given:
            if storage.find_token(conn, given) is None:
                storage.create_token(
                    conn,
                    token_id=new_token_id(),
                    value=given,
                    user_name=ADMIN_USER,
                    is_admin=True,
                    comment="from BRICKYARD_TOKEN",
                    now_ms=clock.now_ms(),
                )
            return None
        if storage.count_tokens(conn) > 0:
            return None
        value, _ = storage.issue_token(
            conn,
            user_name=ADMIN_USER,
            is_admin=True,
            comment="created at first start",
            now_ms=clock.now_ms(),
        )
        return value
