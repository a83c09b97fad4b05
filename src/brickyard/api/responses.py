"""JSON responses, encoded once with orjson.

Routes return :func:`json_response` directly rather than a dict: FastAPI would otherwise walk
every value through ``jsonable_encoder`` first, which costs more than the whole ``runs/get``.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

JSON_MEDIA_TYPE = "application/json"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``body`` as compact JSON (every 2xx carries a JSON object: clients parse it)."""
    return Response(
        orjson.dumps(body), status_code=status, media_type=JSON_MEDIA_TYPE, headers=headers
    )


def json_bytes_response(content: bytes, status: int = 200) -> Response:
    """An already encoded JSON body (from a cache)."""
    return Response(content, status_code=status, media_type=JSON_MEDIA_TYPE)
