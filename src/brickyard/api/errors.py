"""The one table from errors to Databricks error bodies, and the handlers that apply it.

Every non-2xx answer is ``{"error_code": ..., "message": ...}`` (jobs-api.md §1.4). The SDK
picks its exception class from ``error_code`` first and the HTTP status second, so both follow
the real service. Messages never contain the phrase the SDK retries on (``Unexpected error``).
"""

from __future__ import annotations

import logging
from typing import Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brickyard.api.responses import json_response
from brickyard.errors import BrickyardError

logger = logging.getLogger(__name__)

STATUS_BY_ERROR_CODE: Final[dict[str, int]] = {
    "INVALID_PARAMETER_VALUE": 400,
    "MALFORMED_REQUEST": 400,
    "INVALID_STATE": 400,
    "BAD_REQUEST": 400,
    "FEATURE_DISABLED": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "RESOURCE_DOES_NOT_EXIST": 404,
    "ENDPOINT_NOT_FOUND": 404,
    "NOT_FOUND": 404,
    "RESOURCE_ALREADY_EXISTS": 409,
    "ALREADY_EXISTS": 409,
    "RESOURCE_CONFLICT": 409,
    "REQUEST_LIMIT_EXCEEDED": 429,
    "RESOURCE_EXHAUSTED": 429,
    "INTERNAL_ERROR": 500,
    "TEMPORARILY_UNAVAILABLE": 503,
}
"""HTTP status per ``error_code``, as the Databricks service answers."""


def error_response(error_code: str, message: str, status: int | None = None) -> Response:
    """A Databricks error body with the status its code maps to."""
    return json_response(
        {"error_code": error_code, "message": message},
        status=status or STATUS_BY_ERROR_CODE.get(error_code, 400),
    )


def endpoint_not_found(request: Request) -> Response:
    """The answer for a path (or method) no route serves."""
    return error_response(
        "ENDPOINT_NOT_FOUND", f"No API found for '{request.method} {request.url.path}'"
    )


async def _brickyard_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BrickyardError)
    if exc.error_code == "INTERNAL_ERROR":
        logger.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(exc.error_code, str(exc) or type(exc).__name__, exc.http_status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (404, 405):
        return endpoint_not_found(request)
    return error_response("BAD_REQUEST", str(exc.detail), status=exc.status_code)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        # loc starts with where the value came from ("query", "path", ...): not a field name
        where = ".".join(str(part) for part in tuple(error.get("loc", ()))[1:])
        problems.append(f"{where}: {error.get('msg', 'invalid value')}")
    return error_response("INVALID_PARAMETER_VALUE", "; ".join(problems) or "invalid request")


async def _store_unavailable(request: Request, exc: Exception) -> Response:
    # The store was busy or unreachable and the transaction rolled back: nothing happened, so
    # a 503 (which every client retries) is the honest answer (jobs-api.md §1.5).
    logger.warning("store unavailable on %s %s: %s", request.method, request.url.path, exc)
    response = error_response(
        "TEMPORARILY_UNAVAILABLE", "The store is busy or unreachable; try again shortly."
    )
    response.headers["Retry-After"] = "1"
    return response


async def _unhandled(request: Request, exc: Exception) -> Response:
    logger.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        "INTERNAL_ERROR", f"Internal error while serving {request.url.path}: {type(exc).__name__}"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error raised by a route with a Databricks error body."""
    app.add_exception_handler(BrickyardError, _brickyard_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(OperationalError, _store_unavailable)
    app.add_middleware(_AnswerUnhandledErrors)


class _AnswerUnhandledErrors:
    """Answer a bug with a 500 error body.

    Not an ``Exception`` handler: Starlette gives that one to its outermost middleware, which
    answers and then re-raises, so uvicorn drops the client's keep-alive connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = await _unhandled(Request(scope), exc)
            await response(scope, receive, send)
