"""The Libraries API 2.0: libraries on all-purpose clusters, with their install status.

``install`` on a RUNNING cluster installs at once (PENDING → INSTALLING → INSTALLED or FAILED
with the installer's message); on a stopped cluster the libraries wait, PENDING, for its next
start. ``uninstall`` marks them UNINSTALL_ON_RESTART, as Databricks does: a running Spark cannot
unload a jar, so they go when the cluster restarts.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import Response

from brickyard import storage
from brickyard.api.body import parse_body
from brickyard.api.dependencies import Body, Context
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.errors import InvalidInputError
from brickyard.spec import LenientStr, Library

router = APIRouter(tags=["libraries"])


class LibrariesRequest(RequestModel):
    """``install`` / ``uninstall``: a cluster and its libraries."""

    cluster_id: LenientStr
    libraries: list[Library]


@router.post("/libraries/install")
def install_libraries(body: Body, ctx: Context) -> Response:
    """Install libraries on a cluster."""
    cluster_id, libraries = _libraries_of(body)
    ctx.services.clusters.install_libraries(cluster_id, libraries)
    return json_response({})


@router.post("/libraries/uninstall")
def uninstall_libraries(body: Body, ctx: Context) -> Response:
    """Mark libraries to be removed at the cluster's next restart."""
    cluster_id, libraries = _libraries_of(body)
    ctx.services.clusters.uninstall_libraries(cluster_id, libraries)
    return json_response({})


@router.get("/libraries/cluster-status")
def cluster_status(ctx: Context, cluster_id: Annotated[str, Query()]) -> Response:
    """The status of every library on one cluster."""
    records = ctx.services.clusters.library_statuses(cluster_id)
    return json_response({"cluster_id": cluster_id, "library_statuses": _statuses(records)})


@router.get("/libraries/all-cluster-statuses")
def all_cluster_statuses(ctx: Context) -> Response:
    """The status of every library on every cluster that has one."""
    clusters = ctx.services.clusters
    statuses = []
    for record in clusters.list_clusters():
        libraries = clusters.library_statuses(record.cluster_id)
        if libraries:
            statuses.append(
                {"cluster_id": record.cluster_id, "library_statuses": _statuses(libraries)}
            )
    return json_response({"statuses": statuses})


def _libraries_of(body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    request = parse_body(LibrariesRequest, body)
    if not request.libraries:
        raise InvalidInputError("libraries must name at least one library")
    libraries = []
    for index, library in enumerate(request.libraries):
        given = library.model_dump(exclude_none=True, mode="json")
        if len(given) != 1:
            raise InvalidInputError(
                f"libraries[{index}] must set exactly one of jar, egg, whl, pypi, maven, cran, "
                f"requirements; it sets {', '.join(sorted(given)) or 'none'}"
            )
        libraries.append(given)
    return request.cluster_id, libraries


def _statuses(records: list[storage.ClusterLibraryRecord]) -> list[dict[str, Any]]:
    statuses = []
    for record in records:
        status: dict[str, Any] = {
            "library": record.library,
            "status": record.status,
            "is_library_for_all_clusters": False,
        }
        if record.messages:
            status["messages"] = record.messages
        statuses.append(status)
    return statuses
