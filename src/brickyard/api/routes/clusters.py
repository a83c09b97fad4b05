"""The Clusters API (2.0 and 2.1, as ``databricks-sdk``'s ``w.clusters`` calls it).

Every change is asynchronous as on Databricks: ``create``, ``start``, ``restart``, ``edit`` and
``resize`` answer at once with the cluster PENDING (or RESTARTING, RESIZING) and the SDK's
``.result()`` polls ``clusters/get`` until it is RUNNING; ``delete`` answers with it
TERMINATING. A cluster id that does not exist is 400 ``INVALID_PARAMETER_VALUE`` ``Cluster <id>
does not exist``, which the SDK turns into ``ResourceDoesNotExist``.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query
from starlette.responses import Response

from brickyard.api.body import parse_body
from brickyard.api.dependencies import Body, Caller, Context
from brickyard.api.request_models import RequestModel
from brickyard.api.responses import json_response
from brickyard.clusters import ClusterSource, ClusterState
from brickyard.clusters.views import cluster_details, cluster_event
from brickyard.compute.spark.node_types import NODE_TYPES
from brickyard.compute.spark.spark_versions import RUNTIME_VERSIONS
from brickyard.errors import InvalidInputError
from brickyard.spec import LenientInt, LenientStr
from brickyard.spec.compute import AutoScale

router = APIRouter(tags=["clusters"])

DEFAULT_PAGE_SIZE: Final = 100
MAX_EVENTS_PAGE: Final = 500

_NOT_SPEC: Final = frozenset({"cluster_id", "restart_user", "cluster_source"})


class ClusterIdRequest(RequestModel):
    """A body naming one cluster (start, restart, delete, permanent-delete, pin, unpin)."""

    cluster_id: LenientStr
    restart_user: LenientStr | None = None


class ResizeRequest(RequestModel):
    """``clusters/resize``: exactly one of the two sizes."""

    cluster_id: LenientStr
    num_workers: LenientInt | None = None
    autoscale: AutoScale | None = None


class EventsRequest(RequestModel):
    """``clusters/events``: a time range, types, order and a page."""

    cluster_id: LenientStr
    start_time: LenientInt | None = None
    end_time: LenientInt | None = None
    event_types: list[LenientStr] | None = None
    order: LenientStr | None = None
    offset: LenientInt | None = None
    limit: LenientInt | None = None
    page_size: LenientInt | None = None
    page_token: LenientStr | None = None


@router.post("/clusters/create")
def create_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """A new all-purpose cluster, PENDING until its Spark answers."""
    spec = _spec_of(body)
    source = _source_of(body)
    record = ctx.services.clusters.create(spec, source=source, creator=caller.user_name)
    return json_response({"cluster_id": record.cluster_id})


@router.post("/clusters/edit")
def edit_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Replace a cluster's spec (a RUNNING cluster restarts with it)."""
    cluster_id = parse_body(ClusterIdRequest, body).cluster_id
    ctx.services.clusters.edit(cluster_id, _spec_of(body), user=caller.user_name)
    return json_response({})


@router.get("/clusters/get")
def get_cluster(ctx: Context, cluster_id: Annotated[str, Query()]) -> Response:
    """One cluster's details."""
    return json_response(cluster_details(ctx.services.clusters.get(cluster_id)))


@router.get("/clusters/list")
def list_clusters(
    ctx: Context,
    page_size: Annotated[int | None, Query(ge=0)] = None,
    page_token: Annotated[str | None, Query()] = None,
    cluster_states: Annotated[list[str] | None, Query(alias="filter_by.cluster_states")] = None,
    cluster_sources: Annotated[list[str] | None, Query(alias="filter_by.cluster_sources")] = None,
    is_pinned: Annotated[bool | None, Query(alias="filter_by.is_pinned")] = None,
) -> Response:
    """Clusters, newest first, filtered and paged as 2.1 does (2.0 clients get one page of
    everything: they send no page size)."""
    states = _checked_enum(cluster_states, ClusterState, "filter_by.cluster_states")
    sources = _checked_enum(cluster_sources, ClusterSource, "filter_by.cluster_sources")
    records = ctx.services.clusters.list_clusters(states=states, sources=sources)
    if is_pinned is not None:
        records = [r for r in records if r.pinned == is_pinned]
    offset = _offset_of(page_token)
    size = page_size or DEFAULT_PAGE_SIZE
    page = records[offset : offset + size]
    response: dict[str, Any] = {"clusters": [cluster_details(r) for r in page]}
    if offset + size < len(records):
        response["next_page_token"] = str(offset + size)
    if offset > 0:
        response["prev_page_token"] = str(max(0, offset - size))
    return json_response(response)


@router.post("/clusters/start")
def start_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Start a TERMINATED cluster."""
    ctx.services.clusters.start(
        parse_body(ClusterIdRequest, body).cluster_id, user=caller.user_name
    )
    return json_response({})


@router.post("/clusters/restart")
def restart_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Restart a RUNNING cluster."""
    request = parse_body(ClusterIdRequest, body)
    user = request.restart_user or caller.user_name
    ctx.services.clusters.restart(request.cluster_id, user=user)
    return json_response({})


@router.post("/clusters/delete")
def delete_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Terminate a cluster (it stays listed, and can be started again)."""
    cluster_id = parse_body(ClusterIdRequest, body).cluster_id
    ctx.services.clusters.terminate(cluster_id, user=caller.user_name)
    return json_response({})


@router.post("/clusters/permanent-delete")
def permanent_delete_cluster(body: Body, ctx: Context) -> Response:
    """Terminate a cluster and forget it."""
    ctx.services.clusters.permanent_delete(parse_body(ClusterIdRequest, body).cluster_id)
    return json_response({})


@router.post("/clusters/resize")
def resize_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Change a RUNNING cluster's number of workers or autoscale range."""
    request = parse_body(ResizeRequest, body)
    autoscale = (
        None if request.autoscale is None else request.autoscale.model_dump(exclude_none=True)
    )
    ctx.services.clusters.resize(
        request.cluster_id,
        num_workers=request.num_workers,
        autoscale=autoscale,
        user=caller.user_name,
    )
    return json_response({})


@router.post("/clusters/pin")
def pin_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Pin a cluster."""
    ctx.services.clusters.pin(
        parse_body(ClusterIdRequest, body).cluster_id, True, user=caller.user_name
    )
    return json_response({})


@router.post("/clusters/unpin")
def unpin_cluster(body: Body, ctx: Context, caller: Caller) -> Response:
    """Unpin a cluster."""
    cluster_id = parse_body(ClusterIdRequest, body).cluster_id
    ctx.services.clusters.pin(cluster_id, False, user=caller.user_name)
    return json_response({})


@router.post("/clusters/events")
def cluster_events(body: Body, ctx: Context) -> Response:
    """A page of a cluster's events (newest first unless ``order`` is ASC)."""
    request = parse_body(EventsRequest, body)
    order = (request.order or "DESC").upper()
    if order not in ("ASC", "DESC"):
        raise InvalidInputError(f"order must be ASC or DESC, got {request.order!r}")
    limit = request.limit or request.page_size or 50
    if not 0 < limit <= MAX_EVENTS_PAGE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_EVENTS_PAGE}, got {limit}")
    offset = request.offset or _offset_of(request.page_token)
    events, total = ctx.services.clusters.events(
        request.cluster_id,
        start_time=request.start_time,
        end_time=request.end_time,
        event_types=request.event_types or (),
        newest_first=order == "DESC",
        offset=offset,
        limit=limit,
    )
    response: dict[str, Any] = {
        "events": [cluster_event(e) for e in events],
        "total_count": total,
    }
    if offset + limit < total:
        next_page = {k: v for k, v in body.items() if k not in ("page_token",)}
        next_page.update(offset=offset + limit, limit=limit)
        response["next_page"] = next_page
    return json_response(response)


@router.get("/clusters/list-node-types")
def list_node_types() -> Response:
    """The node types a spec may name, with the cores and memory they size."""
    node_types = [
        {
            "node_type_id": node.node_type_id,
            "instance_type_id": node.node_type_id,
            "memory_mb": node.memory_mb,
            "num_cores": float(node.num_cores),
            "num_gpus": node.num_gpus,
            "description": node.description,
            "category": node.category,
            "is_deprecated": False,
            "is_hidden": False,
            "support_cluster_tags": True,
        }
        for node in NODE_TYPES.values()
    ]
    return json_response({"node_types": node_types})


@router.get("/clusters/spark-versions")
def spark_versions() -> Response:
    """The Databricks Runtime keys a spec may name."""
    versions = [{"key": v.key, "name": v.name} for v in RUNTIME_VERSIONS]
    return json_response({"versions": versions})


@router.get("/clusters/list-zones")
def list_zones() -> Response:
    """brickyard's one zone: this machine (or the Spark master it submits to)."""
    return json_response({"zones": ["local"], "default_zone": "local"})


def _spec_of(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in _NOT_SPEC and v is not None}


def _source_of(body: dict[str, Any]) -> ClusterSource:
    # The web UI marks what it creates; every other client is the API.
    return ClusterSource.UI if body.get("cluster_source") == ClusterSource.UI else ClusterSource.API


def _offset_of(page_token: str | None) -> int:
    if not page_token:
        return 0
    if not page_token.isdigit():
        raise InvalidInputError(f"page_token {page_token!r} is not one this server gave")
    return int(page_token)


def _checked_enum(values: list[str] | None, enum: Any, field: str) -> list[str]:
    known = {member.value for member in enum}
    result: list[str] = []
    for value in values or ():
        for one in value.split(","):
            if one not in known:
                raise InvalidInputError(
                    f"{field}: {one!r} is not one of {', '.join(sorted(known))}"
                )
            result.append(one)
    return result
