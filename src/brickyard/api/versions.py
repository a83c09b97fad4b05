"""Which Jobs API version a request's path names.

What differs between the versions (the 2.0 single-task shape, 2.2 paging) is in
:mod:`brickyard.views.versions`, which the CLI reads too.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request

from brickyard.views import ApiVersion

PREFIXES: Final = ("/api/2.0", "/api/2.1", "/api/2.2")

_VALUES: Final = frozenset(v.value for v in ApiVersion)


async def api_version(request: Request) -> ApiVersion:
    """The version a request's path names (``/api/2.1/jobs/get`` is 2.1)."""
    path: str = request.scope["path"]
    return ApiVersion(path[5:8]) if path[5:8] in _VALUES else ApiVersion.V2_2
