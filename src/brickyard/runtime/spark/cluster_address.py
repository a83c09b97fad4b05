"""Ask the engine for the task's cluster: the ``spark_cluster`` op of the control socket.

The engine starts the cluster's Spark Connect server on first use (a JVM start, seconds to
minutes on a busy machine) and answers with one JSON line::

    {"ok": true, "remote": "sc://127.0.0.1:PORT", "cluster_id": "...", "spark_context_id": N,
     "notes": ["..."], "artifacts": ["/path/of/a.jar"]}
    {"ok": false, "error": "..."}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.runtime.control_client import ControlRequestError, control_request
from brickyard.runtime.exceptions import SparkSessionError

SPARK_CLUSTER_OP = "spark_cluster"
CLUSTER_WAIT_SECONDS = 660.0
"""The engine gives a cluster start 600 s and then answers with the error; this covers that
answer and a little more, so a lost engine cannot hang the task forever."""
_REPLY_LIMIT_BYTES = 1 << 20
NO_ENGINE_MESSAGE = (
    "this task runs Spark on its cluster, which only the brickyard engine can start: run it as "
    "a task of a job (brickyard run, or the server)"
)


@dataclass(frozen=True)
class ClusterAddress:
    """Where the task's cluster serves Spark Connect."""

    remote: str
    """``sc://host:port``, for ``SparkSession.builder.remote``."""
    cluster_id: str | None = None
    spark_context_id: int | None = None
    notes: tuple[str, ...] = ()
    """What the task's log says about its cluster (sizes capped by this machine, ...)."""
    artifacts: tuple[str, ...] = ()
    """Jars installed on the running cluster after its server started: added to the session."""


def ask_for_cluster(
    socket_path: Path | None, task_run_id: int, wait: float = CLUSTER_WAIT_SECONDS
) -> ClusterAddress:
    """The address of task run ``task_run_id``'s cluster, started by the engine if it must be.

    Raises :class:`SparkSessionError` with the engine's error, or saying why it did not answer.
    """
    if socket_path is None:
        raise SparkSessionError(NO_ENGINE_MESSAGE)
    reply = _request(socket_path, {"op": SPARK_CLUSTER_OP, "task_run_id": task_run_id}, wait)
    if reply.get("ok") is not True:
        error = reply.get("error") or "no reason given"
        raise SparkSessionError(f"the task's Spark cluster is not available: {error}")
    remote = reply.get("remote")
    if not isinstance(remote, str) or not remote.startswith("sc://"):
        raise SparkSessionError(
            f"the brickyard engine answered spark_cluster without an sc:// address: {reply!r}"
        )
    cluster_id = reply.get("cluster_id")
    context_id = reply.get("spark_context_id")
    return ClusterAddress(
        remote=remote,
        cluster_id=cluster_id if isinstance(cluster_id, str) else None,
        spark_context_id=context_id if isinstance(context_id, int) else None,
        notes=_strings(reply.get("notes")),
        artifacts=_strings(reply.get("artifacts")),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _request(socket_path: Path, request: dict[str, Any], wait: float) -> dict[str, Any]:
    try:
        return control_request(socket_path, request, wait)
    except ControlRequestError as error:
        if error.timed_out:
            raise SparkSessionError(
                "the brickyard engine did not answer with the task's Spark cluster within "
                f"{wait:g} s"
            ) from None
        raise SparkSessionError(f"{error} (asking for the task's Spark cluster)") from None
