"""The FastAPI application: the Jobs API (2.0, 2.1, 2.2), workspace, DBFS, files, secrets,
tokens and permissions, over the running services.

``create_app(settings, services)`` builds it; its lifespan starts the engine and trigger
threads and stops them (task processes keep running; the next start adopts them), and logs
each run's start and end while it serves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute

from brickyard.api.auth import Authenticator, authenticated
from brickyard.api.context import ApiContext
from brickyard.api.docs import install_docs
from brickyard.api.errors import install_error_handlers
from brickyard.api.get_body import QueryFromJsonBody
from brickyard.api.openapi import install_openapi
from brickyard.api.responses import json_response
from brickyard.api.routes import (
    clusters,
    dbfs,
    files,
    jobs,
    libraries,
    permissions,
    queries,
    runs,
    secrets,
    statements,
    tokens,
    warehouses,
    workspace,
)
from brickyard.api.run_log import log_run_event
from brickyard.api.versions import PREFIXES
from brickyard.app import Services
from brickyard.settings import Settings

JOBS_ROUTERS = (jobs.router, runs.router)
"""Served under every version prefix (``/api/2.0``, ``/api/2.1``, ``/api/2.2``)."""

CLUSTERS_ROUTERS = (clusters.router,)
"""Served under ``/api/2.0`` and ``/api/2.1`` (the Clusters API has no 2.2)."""

V2_0_ONLY_ROUTERS: tuple[APIRouter, ...] = (
    permissions.router,
    tokens.router,
    workspace.router,
    dbfs.router,
    files.router,
    secrets.router,
    libraries.router,
    warehouses.router,
    statements.router,
    queries.router,
)
"""Served under ``/api/2.0`` only (workspace, DBFS, files, secrets, tokens, permissions)."""


def create_app(settings: Settings, services: Services, *, start_engine: bool = True) -> FastAPI:
    """The API app over ``services``; ``start_engine`` drives runs in a background thread."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.events.subscribe(log_run_event)
        if start_engine:
            services.start_engine()
            services.start_triggers()
            services.start_housekeeping()
        try:
            yield
        finally:
            services.stop_triggers()
            services.stop_housekeeping()
            services.stop_engine()
            services.events.unsubscribe(log_run_event)

    app = FastAPI(
        title="brickyard",
        description="The Databricks Jobs API, served by brickyard.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs without a CDN
        redoc_url=None,
    )
    app.state.context = ApiContext(services=services)
    app.state.authenticator = Authenticator(services.database, services.clock)
    install_error_handlers(app)
    app.add_middleware(QueryFromJsonBody)

    @app.get("/.well-known/databricks-config", include_in_schema=False)
    def databricks_config() -> object:
        # The SDK probes this without a token at every client construction; an empty object
        # makes it change nothing (jobs-api.md §1.3). Never throttled.
        return json_response({})

    secured = [Depends(authenticated)]
    for prefix in PREFIXES:
        for router in JOBS_ROUTERS:
            app.include_router(
                router,
                prefix=prefix,
                dependencies=secured,
                generate_unique_id_function=_operation_id(prefix),
            )
    for prefix in ("/api/2.0", "/api/2.1"):
        for router in CLUSTERS_ROUTERS:
            app.include_router(
                router,
                prefix=prefix,
                dependencies=secured,
                generate_unique_id_function=_operation_id(prefix),
            )
    # A result link is fetched without a token, as Databricks' presigned links are.
    app.include_router(statements.download_router, prefix="/api/2.0")
    for router in V2_0_ONLY_ROUTERS:
        app.include_router(router, prefix="/api/2.0", dependencies=secured)
    install_openapi(app)
    install_docs(app)
    return app


def _operation_id(prefix: str) -> Callable[[APIRoute], str]:
    version = prefix.rsplit("/", 1)[-1].replace(".", "_")

    def unique_id(route: APIRoute) -> str:
        return f"{route.name}_v{version}"

    return unique_id
