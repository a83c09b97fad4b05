"""``/secrets/scopes/create|delete|list`` and ``/secrets/put|delete|list|get`` (Secrets API 2.0)
over the local secret store that ``dbutils.secrets`` reads inside task processes.

Values never leave through this API except ``secrets/get``, which Databricks allows only from
inside a notebook: here it answers admin tokens (a local operator checking what a task will
read) and refuses every other token with 403 ``PERMISSION_DENIED``. Values never appear in
error messages or logs. Every scope is a ``DATABRICKS`` scope; there are no scope ACLs, so
``initial_manage_principal`` is accepted and ignored. Values are text: ``bytes_value`` must
decode as UTF-8.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query
from starlette.responses import Response

from brickyard import secret_store
from brickyard.api.body import parse_body
from brickyard.api.context import ApiContext
from brickyard.api.dependencies import Body, Caller, Context
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.errors import InvalidInputError, PermissionDeniedError

router = APIRouter(tags=["secrets"])


MAX_NAME_LENGTH: Final = 128
"""Longest scope or key name Databricks accepts."""
MAX_VALUE_BYTES: Final = 128 * 1024
"""Largest secret value Databricks accepts (128 KB)."""
BACKEND_TYPE: Final = "DATABRICKS"
"""The one scope backend brickyard has."""

_NAME: Final = re.compile(r"[A-Za-z0-9_.\-]+")


class CreateScopeRequest(RequestModel):
    """``secrets/scopes/create``."""

    scope: str
    initial_manage_principal: str | None = None
    scope_backend_type: str | None = None


class DeleteScopeRequest(RequestModel):
    """``secrets/scopes/delete``."""

    scope: str


class PutSecretRequest(RequestModel):
    """``secrets/put``: exactly one of ``string_value`` and ``bytes_value`` (base64)."""

    scope: str
    key: str
    string_value: str | None = None
    bytes_value: str | None = None


class DeleteSecretRequest(RequestModel):
    """``secrets/delete``."""

    scope: str
    key: str


@router.post("/secrets/scopes/create", openapi_extra=CreateScopeRequest.openapi())
def create_scope(body: Body, ctx: Context) -> Response:
    """Create an empty scope; 409 ``RESOURCE_ALREADY_EXISTS`` when it exists."""
    request = parse_body(CreateScopeRequest, body)
    _check_name("scope", request.scope)
    backend = (request.scope_backend_type or BACKEND_TYPE).strip().upper()
    if backend != BACKEND_TYPE:
        raise InvalidInputError(
            f"Invalid value for 'scope_backend_type': {request.scope_backend_type!r} is not "
            f"supported; brickyard keeps secrets in its local store ({BACKEND_TYPE})"
        )
    secret_store.create_scope(_store(ctx), request.scope, exist_ok=False)
    return json_response({})


@router.post("/secrets/scopes/delete", openapi_extra=DeleteScopeRequest.openapi())
def delete_scope(body: Body, ctx: Context) -> Response:
    """Delete a scope and its secrets."""
    request = parse_body(DeleteScopeRequest, body)
    secret_store.delete_scope(_store(ctx), request.scope)
    return json_response({})


@router.get("/secrets/scopes/list")
def list_scopes(ctx: Context) -> Response:
    """Every scope (``{}`` when there is none)."""
    names = secret_store.list_scopes(_store(ctx))
    scopes = [{"name": name, "backend_type": BACKEND_TYPE} for name in names]
    return json_response({"scopes": scopes} if scopes else {})


@router.post("/secrets/put", openapi_extra=PutSecretRequest.openapi())
def put_secret(body: Body, ctx: Context) -> Response:
    """Create or replace a secret in an existing scope."""
    request = parse_body(PutSecretRequest, body)
    _check_name("key", request.key)
    value = _value(request)
    secret_store.put_secret(
        _store(ctx),
        request.scope,
        request.key,
        value,
        now_ms=ctx.services.clock.now_ms(),
        create_scope=False,
    )
    return json_response({})


@router.post("/secrets/delete", openapi_extra=DeleteSecretRequest.openapi())
def delete_secret(body: Body, ctx: Context) -> Response:
    """Delete one secret."""
    request = parse_body(DeleteSecretRequest, body)
    secret_store.delete_secret(_store(ctx), request.scope, request.key)
    return json_response({})


@router.get("/secrets/list")
def list_secrets(ctx: Context, scope: Annotated[str, Query()]) -> Response:
    """The keys of a scope with their update times; never the values."""
    secrets = []
    for entry in secret_store.list_secrets(_store(ctx), scope):
        item: dict[str, Any] = {"key": entry.key}
        if entry.last_updated_timestamp is not None:
            item["last_updated_timestamp"] = entry.last_updated_timestamp
        secrets.append(item)
    return json_response({"secrets": secrets} if secrets else {})


@router.get("/secrets/get")
def get_secret(
    ctx: Context,
    caller: Caller,
    scope: Annotated[str, Query()],
    key: Annotated[str, Query()],
) -> Response:
    """One secret's value (base64), for admin tokens only."""
    if not caller.is_admin:
        raise PermissionDeniedError(
            "Reading a secret value through the API needs an admin token; tasks read secrets "
            "with dbutils.secrets.get"
        )
    value = secret_store.get_secret(_store(ctx), scope, key)
    encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
    return json_response({"key": key, "value": encoded})


def _store(ctx: ApiContext) -> Path:
    return ctx.services.settings.secrets_file


def _check_name(field: str, name: str) -> None:
    if len(name) > MAX_NAME_LENGTH or not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"Invalid value for '{field}': {name!r} must be 1 to {MAX_NAME_LENGTH} alphanumeric "
            "characters, dashes, underscores or periods"
        )


def _value(request: PutSecretRequest) -> str:
    """The value to store; messages name the field, never the value."""
    given = [name for name in ("string_value", "bytes_value") if getattr(request, name) is not None]
    if len(given) != 1:
        raise InvalidInputError(
            "Exactly one of string_value and bytes_value must be given"
            + (f" (got {' and '.join(given)})" if given else "")
        )
    if request.string_value is not None:
        value = request.string_value
    else:
        value = _decode_bytes_value(request.bytes_value or "")
    if len(value.encode("utf-8")) > MAX_VALUE_BYTES:
        raise InvalidInputError(
            f"Invalid value for '{given[0]}': larger than the {MAX_VALUE_BYTES // 1024} KB limit"
        )
    return value


def _decode_bytes_value(text: str) -> str:
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        # The decoder's message may quote the input: leave it out.
        raise InvalidInputError("Invalid value for 'bytes_value': not valid base64") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError(
            "Invalid value for 'bytes_value': the decoded bytes are not UTF-8 text, and the local "
            "secret store keeps text (dbutils.secrets.getBytes returns its UTF-8 encoding)"
        ) from None
