"""GET parameters sent as a JSON body.

Databricks reads a GET request's parameters from a JSON body when the query string has none,
and some clients rely on it: Airflow's Databricks provider in deferrable mode (its async hook,
behind every ``deferrable=True`` operator) sends ``GET runs/get`` with ``{"run_id": ...}`` as
the body. One ASGI middleware turns such a body into the query string before routing, so every
GET route declares its parameters once, as ``Query`` parameters.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlencode

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_GET_BODY_BYTES: Final = 1024 * 1024
"""A larger GET body is passed on as it is (no parameters are that long)."""


def query_string_from_body(body: bytes) -> bytes | None:
    """The query string a JSON object body stands for, or None when it is not one (then the
    request goes on unchanged and its route reports what is missing)."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    pairs: list[tuple[str, str]] = []
    for name, item in value.items():
        for one in item if isinstance(item, list) else [item]:
            if one is not None:
                pairs.append((name, _as_query_value(one)))
    return urlencode(pairs).encode("ascii")


def _as_query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)


class QueryFromJsonBody:
    """For a GET with no query string and a JSON object body: the body's fields become the
    query string (lists as repeated names, booleans as ``true``/``false``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["query_string"]:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"0")
        if not (length.isdigit() and int(length) > 0) and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        body, more_body, disconnected = await _read_body(receive)
        if not more_body and not disconnected:
            query = query_string_from_body(body)
            if query:
                scope = {**scope, "query_string": query}
        await self.app(scope, _replay(body, more_body, receive), send)


async def _read_body(receive: Receive) -> tuple[bytes, bool, bool]:
    """The body read so far, whether more follows (it was too long), whether the client left."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False, True
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False, False
        if size > MAX_GET_BODY_BYTES:
            return b"".join(chunks), True, False


def _replay(body: bytes, more_body: bool, receive: Receive) -> Receive:
    """A receive that gives the route the body already read, then the rest from the client."""
    replayed = False

    async def replaying_receive() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": more_body}

    return replaying_receive
