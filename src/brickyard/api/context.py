"""What a route needs from the running process, reached through the request."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from brickyard.api.run_cache import RunBodyCache
from brickyard.api.stored_files import DbfsUploads, Staging
from brickyard.app import Services


@dataclass(frozen=True)
class ApiContext:
    """The services behind the API, and the address clients reach it at."""

    services: Services
    run_cache: RunBodyCache = field(default_factory=RunBodyCache)
    """Encoded ``runs/get`` bodies of finished runs."""
    staging: Staging = field(init=False)
    """Where uploads are written until they are whole."""
    dbfs_uploads: DbfsUploads = field(init=False)
    """The open DBFS ``create`` handles."""

    def __post_init__(self) -> None:
        staging = Staging(self.services.settings.home / "uploads")
        # frozen: the two are derived from the services once, here
        object.__setattr__(self, "staging", staging)
        object.__setattr__(self, "dbfs_uploads", DbfsUploads(staging))

    @property
    def base_url(self) -> str:
        """The address clients reach the server at (``run_page_url`` points there)."""
        return self.services.settings.base_url


async def api_context(request: Request) -> ApiContext:
    """The FastAPI dependency giving a route its :class:`ApiContext`."""
    context: ApiContext = request.app.state.context
    return context
