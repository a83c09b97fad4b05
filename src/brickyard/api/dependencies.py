"""What routes declare in their signatures: the context, the caller, the body, the version,
and ids bounded to what the store can hold."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Depends, Query

from brickyard.api.auth import Principal, authenticated
from brickyard.api.body import json_object
from brickyard.api.context import ApiContext, api_context
from brickyard.api.versions import api_version
from brickyard.views import ApiVersion

MAX_ID: Final = 2**63 - 1
"""Ids are signed 64-bit integers in the store; anything larger cannot name an object."""

Context = Annotated[ApiContext, Depends(api_context)]
"""The services behind the API."""

Caller = Annotated[Principal, Depends(authenticated)]
"""Who is calling (401 when no valid token is given)."""

Body = Annotated[dict[str, Any], Depends(json_object)]
"""The JSON object body, whatever its content type."""

Version = Annotated[ApiVersion, Depends(api_version)]
"""The Jobs API version the path names."""

IdQuery = Annotated[int, Query(ge=0, le=MAX_ID)]
"""A required job or run id in the query string."""

OptionalIntQuery = Annotated[int | None, Query(ge=0, le=MAX_ID)]
"""An optional non-negative integer in the query string (ids, limits, offsets, times)."""
