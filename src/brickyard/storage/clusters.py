"""Clusters, their events and their libraries (the Clusters and Libraries APIs' store)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from brickyard.errors import NotFoundError
from brickyard.storage._columns import AnyRow, checked_changes, plain
from brickyard.storage.records import ClusterEventRecord, ClusterLibraryRecord, ClusterRecord
from brickyard.storage.schema import CLUSTER_EVENTS, CLUSTER_LIBRARIES, CLUSTERS

_FIXED_COLUMNS = ("cluster_id", "cluster_source", "job_run_id", "job_cluster_key", "job_id")


def cluster_not_found(cluster_id: str) -> NotFoundError:
    """The error for an unknown id, worded as Databricks does (the SDK maps it to
    ``ResourceDoesNotExist``)."""
    return NotFoundError(f"Cluster {cluster_id} does not exist")


def insert_cluster(conn: Connection, record: ClusterRecord) -> ClusterRecord:
    """Store a new cluster."""
    conn.execute(insert(CLUSTERS).values(**_values(record)))
    return record


def read_cluster(conn: Connection, cluster_id: str) -> ClusterRecord:
    """The cluster ``cluster_id``; NotFoundError when there is none."""
    row = conn.execute(select(CLUSTERS).where(CLUSTERS.c.cluster_id == cluster_id)).first()
    if row is None:
        raise cluster_not_found(cluster_id)
    return _cluster(row)


def find_job_cluster(
    conn: Connection, job_run_id: int, job_cluster_key: str
) -> ClusterRecord | None:
    """The cluster run ``job_run_id`` made for ``job_cluster_key``, if it made one."""
    row = conn.execute(
        select(CLUSTERS).where(
            and_(CLUSTERS.c.job_run_id == job_run_id, CLUSTERS.c.job_cluster_key == job_cluster_key)
        )
    ).first()
    return None if row is None else _cluster(row)


def list_clusters(
    conn: Connection,
    *,
    states: Collection[str] = (),
    sources: Collection[str] = (),
    job_run_id: int | None = None,
) -> list[ClusterRecord]:
    """Clusters, newest first, optionally only those in ``states``/of ``sources``/of a run."""
    query = select(CLUSTERS).order_by(CLUSTERS.c.start_time.desc(), CLUSTERS.c.cluster_id)
    if states:
        query = query.where(CLUSTERS.c.state.in_(list(states)))
    if sources:
        query = query.where(CLUSTERS.c.cluster_source.in_(list(sources)))
    if job_run_id is not None:
        query = query.where(CLUSTERS.c.job_run_id == job_run_id)
    return [_cluster(row) for row in conn.execute(query)]


def update_cluster(conn: Connection, cluster_id: str, **changes: Any) -> ClusterRecord:
    """Change columns of a cluster and return it as stored."""
    values = checked_changes(CLUSTERS, changes, forbidden=_FIXED_COLUMNS, caller="update_cluster")
    if values:
        result = conn.execute(
            update(CLUSTERS).where(CLUSTERS.c.cluster_id == cluster_id).values(**values)
        )
        if result.rowcount == 0:
            raise cluster_not_found(cluster_id)
    return read_cluster(conn, cluster_id)


def delete_cluster(conn: Connection, cluster_id: str) -> None:
    """Remove a cluster with its events and libraries."""
    conn.execute(delete(CLUSTER_LIBRARIES).where(CLUSTER_LIBRARIES.c.cluster_id == cluster_id))
    conn.execute(delete(CLUSTER_EVENTS).where(CLUSTER_EVENTS.c.cluster_id == cluster_id))
    result = conn.execute(delete(CLUSTERS).where(CLUSTERS.c.cluster_id == cluster_id))
    if result.rowcount == 0:
        raise cluster_not_found(cluster_id)


def add_cluster_event(
    conn: Connection, cluster_id: str, *, timestamp: int, type: str, details: Mapping[str, Any]
) -> None:
    """Record one event of a cluster."""
    conn.execute(
        insert(CLUSTER_EVENTS).values(
            cluster_id=cluster_id, timestamp=timestamp, type=plain(type), details=dict(details)
        )
    )


def list_cluster_events(
    conn: Connection,
    cluster_id: str,
    *,
    start_time: int | None = None,
    end_time: int | None = None,
    event_types: Collection[str] = (),
    newest_first: bool = True,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[ClusterEventRecord], int]:
    """One page of a cluster's events and how many match in all."""
    condition = CLUSTER_EVENTS.c.cluster_id == cluster_id
    if start_time is not None:
        condition = and_(condition, CLUSTER_EVENTS.c.timestamp >= start_time)
    if end_time is not None:
        condition = and_(condition, CLUSTER_EVENTS.c.timestamp <= end_time)
    if event_types:
        condition = and_(condition, CLUSTER_EVENTS.c.type.in_(list(event_types)))
    total = conn.execute(
        select(func.count()).select_from(CLUSTER_EVENTS).where(condition)
    ).scalar_one()
    order = (
        (CLUSTER_EVENTS.c.timestamp.desc(), CLUSTER_EVENTS.c.event_id.desc())
        if newest_first
        else (CLUSTER_EVENTS.c.timestamp, CLUSTER_EVENTS.c.event_id)
    )
    rows = conn.execute(
        select(CLUSTER_EVENTS).where(condition).order_by(*order).offset(offset).limit(limit)
    )
    events = [
        ClusterEventRecord(
            event_id=row.event_id,
            cluster_id=row.cluster_id,
            timestamp=row.timestamp,
            type=row.type,
            details=dict(row.details),
        )
        for row in rows
    ]
    return events, int(total)


def library_key(library: Mapping[str, Any]) -> str:
    """The identity of a library: the digest of its canonical JSON."""
    canonical = json.dumps(library, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def add_cluster_libraries(
    conn: Connection, cluster_id: str, libraries: Sequence[Mapping[str, Any]], *, status: str
) -> list[ClusterLibraryRecord]:
    """Add libraries not on the cluster yet (a library already there is left as it is);
    returns the ones added."""
    existing = {record.library_key: record for record in list_cluster_libraries(conn, cluster_id)}
    position = max((r.position for r in existing.values()), default=-1) + 1
    added: list[ClusterLibraryRecord] = []
    for library in libraries:
        key = library_key(library)
        if key in existing:
            if existing[key].status == "UNINSTALL_ON_RESTART":
                set_library_status(conn, cluster_id, key, status=status, messages=[])
            continue
        record = ClusterLibraryRecord(
            cluster_id=cluster_id,
            library_key=key,
            position=position,
            library=dict(library),
            status=plain(status),
            messages=[],
        )
        conn.execute(insert(CLUSTER_LIBRARIES).values(**record.__dict__))
        existing[key] = record
        added.append(record)
        position += 1
    return added


def list_cluster_libraries(conn: Connection, cluster_id: str) -> list[ClusterLibraryRecord]:
    """A cluster's libraries in the order they were installed."""
    rows = conn.execute(
        select(CLUSTER_LIBRARIES)
        .where(CLUSTER_LIBRARIES.c.cluster_id == cluster_id)
        .order_by(CLUSTER_LIBRARIES.c.position)
    )
    return [_library(row) for row in rows]


def set_library_status(
    conn: Connection, cluster_id: str, key: str, *, status: str, messages: Sequence[str]
) -> None:
    """Record how a library's installation went."""
    conn.execute(
        update(CLUSTER_LIBRARIES)
        .where(
            and_(
                CLUSTER_LIBRARIES.c.cluster_id == cluster_id, CLUSTER_LIBRARIES.c.library_key == key
            )
        )
        .values(status=plain(status), messages=list(messages))
    )


def delete_cluster_library(conn: Connection, cluster_id: str, key: str) -> None:
    """Forget a library (an uninstall that took effect at a restart)."""
    conn.execute(
        delete(CLUSTER_LIBRARIES).where(
            and_(
                CLUSTER_LIBRARIES.c.cluster_id == cluster_id, CLUSTER_LIBRARIES.c.library_key == key
            )
        )
    )


def _values(record: ClusterRecord) -> dict[str, Any]:
    return {name: plain(value) for name, value in record.__dict__.items()}


def _cluster(row: AnyRow) -> ClusterRecord:
    return ClusterRecord(
        cluster_id=row.cluster_id,
        cluster_name=row.cluster_name,
        spec=dict(row.spec),
        state=row.state,
        state_message=row.state_message,
        cluster_source=row.cluster_source,
        creator_user_name=row.creator_user_name,
        job_run_id=row.job_run_id,
        job_cluster_key=row.job_cluster_key,
        job_id=row.job_id,
        pinned=bool(row.pinned),
        start_time=row.start_time,
        last_restarted_time=row.last_restarted_time,
        terminated_time=row.terminated_time,
        last_activity_time=row.last_activity_time,
        termination_reason=None if row.termination_reason is None else dict(row.termination_reason),
        runtime=None if row.runtime is None else dict(row.runtime),
        spark_context_id=row.spark_context_id,
    )


def _library(row: AnyRow) -> ClusterLibraryRecord:
    return ClusterLibraryRecord(
        cluster_id=row.cluster_id,
        library_key=row.library_key,
        position=row.position,
        library=dict(row.library),
        status=row.status,
        messages=list(row.messages or ()),
    )
