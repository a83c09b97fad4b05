"""``/token/create|list|delete``: personal access tokens (the Databricks Token API).

Served under ``/api/2.0`` only. A token belongs to the user who creates it and carries that
user's admin flag. As in Databricks, ``token/list`` shows the caller's own tokens that are still
valid; ``token/delete`` revokes one of the caller's tokens (an admin may revoke anyone's), and a
token the caller may not see answers 404 ``RESOURCE_DOES_NOT_EXIST`` like one that does not
exist. A token used for the last time is refused at once: the authenticator's cache forgets it.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from starlette.responses import Response

from brickyard import storage
from brickyard.api.auth import (
    Authenticator,
)
from brickyard.api.body import parse_body
from brickyard.api.dependencies import Body, Caller, Context
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.errors import InvalidInputError, ResourceNotFoundError
from brickyard.spec import LenientInt, LenientStr

router = APIRouter(tags=["tokens"])


MAX_COMMENT_LENGTH: Final = 4096

MAX_LIFETIME_SECONDS: Final = storage.MAX_LIFETIME_SECONDS
"""The longest lifetime a token may be given (its expiry must fit a 64-bit column)."""


class CreateTokenRequest(RequestModel):
    """``token/create``: an optional lifetime (none: the token never expires) and comment."""

    lifetime_seconds: LenientInt | None = None
    comment: LenientStr | None = None


class DeleteTokenRequest(RequestModel):
    """``token/delete``: the id ``token/list`` shows."""

    token_id: LenientStr


@router.post("/token/create", openapi_extra=CreateTokenRequest.openapi())
def create_token(body: Body, ctx: Context, caller: Caller) -> Response:
    """A new token for the caller; its value is shown here only."""
    request = parse_body(CreateTokenRequest, body)
    lifetime = request.lifetime_seconds
    if lifetime is not None and not 0 < lifetime <= MAX_LIFETIME_SECONDS:
        raise InvalidInputError(
            f"lifetime_seconds must be a positive number of seconds up to "
            f"{MAX_LIFETIME_SECONDS} (100 years), got {lifetime} "
            "(leave it out for a token that never expires)."
        )
    comment = request.comment or ""
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InvalidInputError(
            f"comment must be at most {MAX_COMMENT_LENGTH} characters, got {len(comment)}."
        )
    services = ctx.services
    now = services.clock.now_ms()
    with services.database.transaction() as conn:
        value, record = storage.issue_token(
            conn,
            user_name=caller.user_name,
            is_admin=caller.is_admin,
            comment=comment,
            now_ms=now,
            lifetime_seconds=lifetime,
        )
    return json_response({"token_value": value, "token_info": token_info(record)})


@router.get("/token/list")
def list_tokens(ctx: Context, caller: Caller) -> Response:
    """The caller's tokens that have not expired, oldest first."""
    services = ctx.services
    now = services.clock.now_ms()
    with services.database.read() as conn:
        records = storage.list_tokens(conn, user_name=caller.user_name)
    infos = [token_info(r) for r in records if not r.is_expired(now)]
    return json_response({"token_infos": infos})


@router.post("/token/delete", openapi_extra=DeleteTokenRequest.openapi())
def delete_token(body: Body, request: Request, ctx: Context, caller: Caller) -> Response:
    """Revoke one of the caller's tokens (any token for an admin)."""
    token_id = parse_body(DeleteTokenRequest, body).token_id
    with ctx.services.database.transaction() as conn:
        record = storage.read_token(conn, token_id)
        if record.user_name != caller.user_name and not caller.is_admin:
            raise ResourceNotFoundError(f"Token {token_id} does not exist.")
        storage.delete_token(conn, token_id)
    authenticator: Authenticator = request.app.state.authenticator
    authenticator.forget(token_id)
    return json_response({})


def token_info(record: storage.TokenRecord) -> dict[str, Any]:
    """The PublicTokenInfo of a token (``expiry_time`` -1: never expires)."""
    return {
        "token_id": record.token_id,
        "creation_time": record.creation_time,
        "expiry_time": record.expiry_time,
        "comment": record.comment,
    }
