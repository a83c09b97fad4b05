"""The background work of the cluster service: starting, restarting and stopping clusters'
servers on a pool of threads, and committing how each ended, with its event.

:class:`~brickyard.clusters.service.ClusterService` commits what a request asks for at once
(PENDING, RESTARTING, TERMINATING) and hands the slow part here: a server start can take tens of
seconds, so it never runs on an API or engine thread. Waiters are woken on each change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from brickyard import storage
from brickyard.clock import Clock
from brickyard.clusters.libraries import ClusterLibraries
from brickyard.clusters.runtime import (
    ClusterRuntime,
    ClusterStartError,
    ClusterStartRequest,
    RunningCluster,
)
from brickyard.clusters.states import ClusterEventType, ClusterState, TerminationCode
from brickyard.spec import ClusterSpec

logger = logging.getLogger(__name__)

TERMINATION_MESSAGES: Final = {
    TerminationCode.USER_REQUEST: "Terminated by the user",
    TerminationCode.JOB_FINISHED: "The job run that created the cluster finished",
    TerminationCode.INACTIVITY: "Inactive for longer than autotermination_minutes",
    TerminationCode.DRIVER_UNREACHABLE: "The Spark driver stopped answering",
    TerminationCode.INTERNAL_ERROR: "brickyard stopped while the cluster was starting",
}


def termination_reason(code: TerminationCode, user: str | None) -> dict[str, Any]:
    """A ``termination_reason`` as the Clusters API shows it."""
    reason: dict[str, Any] = {"code": code.value, "type": code.termination_type.value}
    if user:
        reason["parameters"] = {"username": user}
    return reason


class ClusterServers:
    """Starts and stops the servers of the clusters in ``database`` through ``runtime``."""

    def __init__(
        self,
        database: storage.Database,
        clock: Clock,
        runtime: ClusterRuntime,
        libraries: ClusterLibraries,
        *,
        max_parallel_starts: int,
    ) -> None:
        self._db = database
        self._clock = clock
        self._runtime = runtime
        self._libraries = libraries
        self._pool = ThreadPoolExecutor(max_parallel_starts, thread_name_prefix="brickyard-cluster")
        self.changed = threading.Condition()
        """Notified on every committed change (also the lock of :attr:`attached`)."""
        self.started_here: set[str] = set()
        """Clusters whose start this process scheduled."""
        self.attached: dict[str, set[int]] = {}
        """Task runs using each cluster now: a cluster in use is never idle."""

    def schedule_start(self, cluster_id: str) -> None:
        """Start the cluster's server in the background (it is PENDING or RESTARTING)."""
        self.started_here.add(cluster_id)
        self._pool.submit(self._start, cluster_id)

    def schedule_restart(self, cluster_id: str) -> None:
        """Stop the cluster's server and start it again, in the background."""
        self._pool.submit(self._restart, cluster_id)

    def schedule_stop(self, cluster_id: str) -> None:
        """Stop the cluster's server in the background (it is TERMINATING)."""
        self._pool.submit(self._stop, cluster_id)

    def in_background(self, work: Callable[[str], None], cluster_id: str) -> None:
        """Run other slow work for a cluster (a library installation) on the pool."""
        self._pool.submit(work, cluster_id)

    def stop_now(self, cluster_id: str) -> None:
        """Stop the cluster's server on this thread, if it runs."""
        self._runtime.stop(cluster_id)

    def is_alive(self, cluster_id: str) -> bool:
        """Whether the cluster's server still runs."""
        return self._runtime.is_alive(cluster_id)

    def event(
        self, conn: Any, cluster_id: str, event: ClusterEventType, details: Mapping[str, Any]
    ) -> None:
        """Record one event of the cluster in the caller's transaction."""
        storage.add_cluster_event(
            conn,
            cluster_id,
            timestamp=self._clock.now_ms(),
            type=event.value,
            details={k: v for k, v in details.items() if v is not None},
        )

    def notify(self) -> None:
        """Wake every waiter: something changed."""
        with self.changed:
            self.changed.notify_all()

    def wait_for_change(self, timeout: float) -> None:
        """Wait until something changes or ``timeout`` seconds pass."""
        with self.changed:
            self.changed.wait(timeout)

    def shutdown(self) -> None:
        """Wait for the work in flight."""
        self._pool.shutdown(wait=True)

    def _start(self, cluster_id: str) -> None:
        try:
            record = self._get(cluster_id)
            if not ClusterState(record.state).is_starting:
                return
            # Libraries first, so their jars are on the server's classpath from its start.
            self._libraries.install_pending(cluster_id)
            request = ClusterStartRequest(
                cluster_id=cluster_id,
                cluster_name=record.cluster_name,
                spec=ClusterSpec.model_validate(record.spec),
                jars=tuple(self._libraries.classpath(cluster_id)),
            )
            try:
                running = self._runtime.start(request)
            except ClusterStartError as error:
                self._start_failed(cluster_id, str(error))
                return
            self._started(cluster_id, running)
        except Exception as error:  # a bug must still end the start, never leave PENDING
            logger.exception("starting cluster %s failed", cluster_id)
            self._start_failed(cluster_id, f"brickyard could not start the cluster: {error}")

    def _started(self, cluster_id: str, running: RunningCluster) -> None:
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if not ClusterState(record.state).is_starting:
                stale = True  # terminated while it was starting: the new server must go
            else:
                stale = False
                now = self._clock.now_ms()
                restarted = record.state != ClusterState.PENDING
                storage.update_cluster(
                    conn,
                    cluster_id,
                    state=ClusterState.RUNNING,
                    state_message="",
                    runtime=running.to_json(),
                    spark_context_id=running.spark_context_id,
                    last_activity_time=now,
                    last_restarted_time=now if restarted else record.last_restarted_time,
                )
                resized = record.state == ClusterState.RESIZING
                self.event(
                    conn,
                    cluster_id,
                    ClusterEventType.UPSIZE_COMPLETED if resized else ClusterEventType.RUNNING,
                    {
                        "current_num_workers": _workers(record.spec),
                        "master": running.master,
                        "notes": list(running.notes),
                    },
                )
        if stale:
            self._runtime.stop(cluster_id)
            return
        self.notify()

    def _start_failed(self, cluster_id: str, message: str) -> None:
        self._runtime.stop(cluster_id)
        reason = {
            "code": TerminationCode.SPARK_STARTUP_FAILURE.value,
            "type": TerminationCode.SPARK_STARTUP_FAILURE.termination_type.value,
            "parameters": {"databricks_error_message": message},
        }
        with self._db.transaction() as conn:
            storage.update_cluster(
                conn,
                cluster_id,
                state=ClusterState.TERMINATED,
                state_message=message,
                termination_reason=reason,
                terminated_time=self._clock.now_ms(),
                runtime=None,
            )
            self.event(conn, cluster_id, ClusterEventType.TERMINATING, {"reason": reason})
        self.notify()

    def _restart(self, cluster_id: str) -> None:
        self._runtime.stop(cluster_id)
        with self._db.transaction() as conn:
            storage.update_cluster(conn, cluster_id, runtime=None)
        self._start(cluster_id)

    def _stop(self, cluster_id: str) -> None:
        try:
            self._runtime.stop(cluster_id)
        finally:
            record = self._get(cluster_id)
            reason = record.termination_reason or {}
            code = TerminationCode(reason.get("code", TerminationCode.USER_REQUEST.value))
            self.finish_termination(cluster_id, code, reason=reason)

    def finish_termination(
        self,
        cluster_id: str,
        code: TerminationCode,
        *,
        reason: Mapping[str, Any] | None = None,
    ) -> None:
        with self._db.transaction() as conn:
            storage.update_cluster(
                conn,
                cluster_id,
                state=ClusterState.TERMINATED,
                state_message=TERMINATION_MESSAGES.get(code, ""),
                termination_reason=dict(reason) if reason else termination_reason(code, None),
                terminated_time=self._clock.now_ms(),
                runtime=None,
            )
        self.attached.pop(cluster_id, None)
        self.notify()

    def mark_dead(self, cluster_id: str) -> None:
        with self._db.transaction() as conn:
            self.event(conn, cluster_id, ClusterEventType.DRIVER_NOT_RESPONDING, {})
        self._runtime.stop(cluster_id)
        self.finish_termination(cluster_id, TerminationCode.DRIVER_UNREACHABLE)

    def _get(self, cluster_id: str) -> storage.ClusterRecord:
        with self._db.read() as conn:
            return storage.read_cluster(conn, cluster_id)


def _workers(spec: Mapping[str, Any]) -> int:
    autoscale = spec.get("autoscale")
    if isinstance(autoscale, Mapping):
        return int(autoscale.get("max_workers") or autoscale.get("min_workers") or 0)
    return int(spec.get("num_workers") or 0)
