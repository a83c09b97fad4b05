"""The cluster service: every state change of every cluster, stored with its event.

API calls and the engine's tasks ask for changes (create, start, terminate, ...); each is
committed at once (PENDING, TERMINATING, ...) and the slow part — starting or stopping the
cluster's server — is handed to :class:`~brickyard.clusters.servers.ClusterServers`, whose
threads commit the outcome (RUNNING, or TERMINATED with the reason).
Waiters (``wait_running``; the SDK polls ``clusters/get`` instead) are woken on each change.

``run_once`` is the housekeeping a long-lived server does every few seconds: clusters idle for
``autotermination_minutes`` are terminated (INACTIVITY), and a RUNNING cluster whose server died
is marked TERMINATED (DRIVER_UNREACHABLE). ``recover`` finishes, at start, what a stopped
brickyard left half done.
"""

from __future__ import annotations

import logging
import secrets
import string
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import ValidationError

from brickyard import storage
from brickyard.clock import Clock
from brickyard.clusters.libraries import ClusterLibraries, is_jvm_library
from brickyard.clusters.runtime import (
    ClusterRuntime,
    ClusterStartError,
    LibraryInstaller,
    RunningCluster,
)
from brickyard.clusters.servers import TERMINATION_MESSAGES, ClusterServers, termination_reason
from brickyard.clusters.states import (
    ClusterEventType,
    ClusterSource,
    ClusterState,
    LibraryStatus,
    TerminationCode,
)
from brickyard.errors import InvalidInputError, InvalidStateError, NotFoundError
from brickyard.spec import ClusterSpec, Library
from brickyard.states import TERMINAL_LIFE_CYCLE, LifeCycleState

logger = logging.getLogger(__name__)

DEFAULT_SPARK_VERSION: Final = "16.4.x-scala2.12"
"""The runtime key of clusters brickyard makes up (an unknown ``existing_cluster_id``)."""

_ID_ALPHABET: Final = string.ascii_lowercase + string.digits


def new_cluster_id(now_ms: int) -> str:
    """A cluster id shaped like Databricks' (``MMDD-HHMMSS-xxxxxxxx``)."""
    moment = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    suffix = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"{moment:%m%d-%H%M%S}-{suffix}"


def job_cluster_name(job_id: int | None, run_id: int, key: str) -> str:
    """The name Databricks gives a job cluster (``job-<job>-run-<run>``), with the key."""
    return f"job-{job_id or 0}-run-{run_id}-{key}"


class ClusterService:
    """Creates, starts, stops and watches clusters stored in ``database``."""

    def __init__(
        self,
        database: storage.Database,
        clock: Clock,
        runtime: ClusterRuntime,
        installer: LibraryInstaller | None = None,
        *,
        max_parallel_starts: int = 4,
    ) -> None:
        self._db = database
        self._clock = clock
        self._runtime = runtime
        self.libraries = ClusterLibraries(database, installer)
        self._servers = ClusterServers(
            database, clock, runtime, self.libraries, max_parallel_starts=max_parallel_starts
        )
        self._job_cluster_lock = threading.Lock()

    # -- the Clusters API ---------------------------------------------------------------------

    def create(
        self,
        spec: Mapping[str, Any],
        *,
        source: ClusterSource = ClusterSource.API,
        creator: str | None = None,
    ) -> storage.ClusterRecord:
        """Store a PENDING cluster and start it in the background."""
        parsed = self._checked_spec(spec)
        name = parsed.cluster_name
        if not name:
            raise InvalidInputError("cluster_name is required")
        now = self._clock.now_ms()
        record = self._new_record(
            new_cluster_id(now), name, spec, source=source, creator=creator, now=now
        )
        with self._db.transaction() as conn:
            storage.insert_cluster(conn, record)
            self._servers.event(
                conn, record.cluster_id, ClusterEventType.CREATING, {"user": creator}
            )
        self._servers.schedule_start(record.cluster_id)
        return record

    def get(self, cluster_id: str) -> storage.ClusterRecord:
        """The cluster as stored now."""
        with self._db.read() as conn:
            return storage.read_cluster(conn, cluster_id)

    def list_clusters(
        self, *, states: Sequence[str] = (), sources: Sequence[str] = ()
    ) -> list[storage.ClusterRecord]:
        """Clusters, newest first, optionally only in ``states`` / from ``sources``."""
        with self._db.read() as conn:
            return storage.list_clusters(conn, states=states, sources=sources)

    def events(
        self,
        cluster_id: str,
        *,
        start_time: int | None = None,
        end_time: int | None = None,
        event_types: Sequence[str] = (),
        newest_first: bool = True,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[storage.ClusterEventRecord], int]:
        """A page of a cluster's events and how many match."""
        with self._db.read() as conn:
            storage.read_cluster(conn, cluster_id)
            return storage.list_cluster_events(
                conn,
                cluster_id,
                start_time=start_time,
                end_time=end_time,
                event_types=event_types,
                newest_first=newest_first,
                offset=offset,
                limit=limit,
            )

    def start(self, cluster_id: str, *, user: str | None = None) -> None:
        """Start a TERMINATED cluster (INVALID_STATE for any other state)."""
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if record.state != ClusterState.TERMINATED:
                raise _unexpected_state(record)
            self.libraries.reset_for_start(conn, cluster_id)
            storage.update_cluster(
                conn,
                cluster_id,
                state=ClusterState.PENDING,
                state_message="Starting Spark",
                termination_reason=None,
                terminated_time=None,
                start_time=self._clock.now_ms(),
            )
            self._servers.event(conn, cluster_id, ClusterEventType.STARTING, {"user": user})
        self._servers.notify()
        self._servers.schedule_start(cluster_id)

    def restart(self, cluster_id: str, *, user: str | None = None) -> None:
        """Restart a RUNNING cluster's server (a new Spark context)."""
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if record.state != ClusterState.RUNNING:
                raise _unexpected_state(record)
            self.libraries.reset_for_start(conn, cluster_id)
            storage.update_cluster(
                conn, cluster_id, state=ClusterState.RESTARTING, state_message="Restarting Spark"
            )
            self._servers.event(conn, cluster_id, ClusterEventType.RESTARTING, {"user": user})
        self._servers.notify()
        self._servers.schedule_restart(cluster_id)

    def edit(self, cluster_id: str, spec: Mapping[str, Any], *, user: str | None = None) -> None:
        """Replace a cluster's spec; a RUNNING cluster restarts with it, a TERMINATED one
        uses it at its next start."""
        parsed = self._checked_spec(spec)
        if not parsed.cluster_name:
            raise InvalidInputError("cluster_name is required")
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if record.cluster_source == ClusterSource.JOB:
                raise InvalidInputError(
                    f"Cluster {cluster_id} was created by a job run and cannot be edited"
                )
            if record.state not in (ClusterState.RUNNING, ClusterState.TERMINATED):
                raise _unexpected_state(record)
            storage.update_cluster(
                conn, cluster_id, spec=dict(spec), cluster_name=parsed.cluster_name
            )
            self._servers.event(
                conn,
                cluster_id,
                ClusterEventType.EDITED,
                {"user": user, "previous_attributes": record.spec, "attributes": dict(spec)},
            )
        if record.state == ClusterState.RUNNING:
            self.restart(cluster_id, user=user)

    def resize(
        self,
        cluster_id: str,
        *,
        num_workers: int | None = None,
        autoscale: Mapping[str, Any] | None = None,
        user: str | None = None,
    ) -> None:
        """Change a RUNNING cluster's size.

        A running Spark driver cannot gain or lose local cores, so brickyard applies the new
        size by restarting the cluster's server, as the event says.
        """
        if (num_workers is None) == (autoscale is None):
            raise InvalidInputError("resize needs exactly one of num_workers and autoscale")
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if record.state != ClusterState.RUNNING:
                raise _unexpected_state(record)
            spec = {k: v for k, v in record.spec.items() if k not in ("num_workers", "autoscale")}
            if num_workers is not None:
                spec["num_workers"] = num_workers
            else:
                spec["autoscale"] = dict(autoscale or {})
            self._checked_spec(spec)
            storage.update_cluster(
                conn,
                cluster_id,
                spec=spec,
                state=ClusterState.RESIZING,
                state_message="Resizing: restarting Spark with the new size",
            )
            self._servers.event(
                conn,
                cluster_id,
                ClusterEventType.RESIZING,
                {
                    "user": user,
                    "target_num_workers": num_workers,
                    "autoscale": None if autoscale is None else dict(autoscale),
                },
            )
        self._servers.notify()
        self._servers.schedule_restart(cluster_id)

    def terminate(
        self,
        cluster_id: str,
        *,
        code: TerminationCode = TerminationCode.USER_REQUEST,
        user: str | None = None,
    ) -> None:
        """Stop a cluster's server (``clusters/delete``); a stopped cluster is left as it is."""
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if record.state in (ClusterState.TERMINATED, ClusterState.TERMINATING):
                return
            reason = termination_reason(code, user)
            storage.update_cluster(
                conn,
                cluster_id,
                state=ClusterState.TERMINATING,
                state_message=TERMINATION_MESSAGES[code],
                termination_reason=reason,
            )
            self._servers.event(conn, cluster_id, ClusterEventType.TERMINATING, {"reason": reason})
        self._servers.notify()
        self._servers.schedule_stop(cluster_id)

    def permanent_delete(self, cluster_id: str) -> None:
        """Stop the cluster if it runs and forget it."""
        self.get(cluster_id)
        self._servers.stop_now(cluster_id)
        with self._db.transaction() as conn:
            storage.delete_cluster(conn, cluster_id)
        self._servers.attached.pop(cluster_id, None)
        self._servers.notify()

    def pin(self, cluster_id: str, pinned: bool, *, user: str | None = None) -> None:
        """Pin or unpin a cluster (a pinned cluster is kept in ``clusters/list``)."""
        with self._db.transaction() as conn:
            record = storage.read_cluster(conn, cluster_id)
            if record.pinned == pinned:
                return
            storage.update_cluster(conn, cluster_id, pinned=pinned)
            event = ClusterEventType.PINNED if pinned else ClusterEventType.UNPINNED
            self._servers.event(conn, cluster_id, event, {"user": user})

    # -- the Libraries API --------------------------------------------------------------------

    def install_libraries(self, cluster_id: str, libraries: Sequence[Mapping[str, Any]]) -> None:
        """Add libraries to a cluster: installed now on a RUNNING cluster, at the next start on
        a stopped one."""
        self.libraries.add(cluster_id, libraries)
        if self.get(cluster_id).state == ClusterState.RUNNING:
            self._servers.in_background(self.libraries.install_pending, cluster_id)

    def uninstall_libraries(self, cluster_id: str, libraries: Sequence[Mapping[str, Any]]) -> None:
        """Mark libraries UNINSTALL_ON_RESTART (see :mod:`brickyard.clusters.libraries`)."""
        self.libraries.uninstall(cluster_id, libraries)

    def library_statuses(self, cluster_id: str) -> list[storage.ClusterLibraryRecord]:
        """A cluster's libraries with their status."""
        return self.libraries.statuses(cluster_id)

    def task_libraries(self, cluster_id: str) -> list[Library]:
        """The libraries a task on the cluster may use (all but failed ones)."""
        return self.libraries.for_tasks(cluster_id)

    # -- what tasks need ----------------------------------------------------------------------

    def ensure_job_cluster(
        self,
        run_id: int,
        job_id: int | None,
        key: str,
        spec: ClusterSpec,
        libraries: Sequence[Library] = (),
    ) -> str:
        """The id of run ``run_id``'s cluster for ``key``, created (and starting) on first use
        with the ``jar`` and ``maven`` libraries of the tasks that use it on its classpath."""
        with self._job_cluster_lock:
            with self._db.read() as conn:
                found = storage.find_job_cluster(conn, run_id, key)
            if found is not None:
                return found.cluster_id
            now = self._clock.now_ms()
            name = spec.cluster_name or job_cluster_name(job_id, run_id, key)
            record = self._new_record(
                new_cluster_id(now),
                name,
                spec.model_dump(exclude_none=True, mode="json"),
                source=ClusterSource.JOB,
                creator=None,
                now=now,
                job_run=(run_id, key, job_id),
            )
            jvm = [
                given
                for given in (lib.model_dump(exclude_none=True, mode="json") for lib in libraries)
                if is_jvm_library(given)
            ]
            with self._db.transaction() as conn:
                storage.insert_cluster(conn, record)
                storage.add_cluster_libraries(
                    conn, record.cluster_id, jvm, status=LibraryStatus.PENDING
                )
                self._servers.event(
                    conn, record.cluster_id, ClusterEventType.CREATING, {"run_id": run_id}
                )
        self._servers.schedule_start(record.cluster_id)
        return record.cluster_id

    def adopt_unknown(self, cluster_id: str) -> None:
        """Create a default cluster under an id a job names but this brickyard never made
        (the job was written against a Databricks workspace); it starts at once."""
        now = self._clock.now_ms()
        spec = {
            "cluster_name": cluster_id,
            "spark_version": DEFAULT_SPARK_VERSION,
            "num_workers": 0,
        }
        record = self._new_record(
            cluster_id, cluster_id, spec, source=ClusterSource.API, creator=None, now=now
        )
        with self._job_cluster_lock, self._db.transaction() as conn:
            try:
                storage.read_cluster(conn, cluster_id)
                return  # another task adopted it first
            except NotFoundError:
                storage.insert_cluster(conn, record)
            self._servers.event(
                conn,
                cluster_id,
                ClusterEventType.CREATING,
                {"cause": "a job named this cluster id, which this brickyard did not know"},
            )
        self._servers.schedule_start(cluster_id)

    def ensure_running(self, cluster_id: str) -> None:
        """Start the cluster unless it runs or is starting (a task on a stopped
        ``existing_cluster_id`` starts it, as on Databricks)."""
        deadline = time.monotonic() + 60.0
        while True:
            record = self.get(cluster_id)
            state = ClusterState(record.state)
            if state.is_active:
                return
            if state == ClusterState.TERMINATED:
                try:
                    self.start(cluster_id)
                except InvalidStateError:
                    continue  # someone else started it meanwhile
                return
            if state == ClusterState.TERMINATING and time.monotonic() < deadline:
                self._servers.wait_for_change(1.0)
                continue
            raise ClusterStartError(
                f"cluster {cluster_id} is {state.value}: {record.state_message}"
            )

    def wait_running(self, cluster_id: str, timeout: float) -> RunningCluster:
        """The running cluster, once it runs; ClusterStartError if it stops or never starts."""
        deadline = time.monotonic() + timeout
        while True:
            record = self.get(cluster_id)
            state = ClusterState(record.state)
            if state == ClusterState.RUNNING and record.runtime is not None:
                return RunningCluster.from_json(record.runtime)
            if not state.is_starting and state != ClusterState.TERMINATING:
                raise ClusterStartError(
                    f"cluster {record.cluster_name} ({cluster_id}) is {state.value}: "
                    f"{record.state_message}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ClusterStartError(
                    f"cluster {record.cluster_name} ({cluster_id}) did not start within "
                    f"{timeout:.0f} s (it is {state.value}: {record.state_message})"
                )
            self._servers.wait_for_change(min(remaining, 1.0))

    def attach(self, cluster_id: str, task_run_id: int) -> None:
        """Note that a task run uses the cluster (it is not idle until the task ends)."""
        with self._servers.changed:
            self._servers.attached.setdefault(cluster_id, set()).add(task_run_id)
        self.touch(cluster_id)

    def detach(self, task_run_id: int) -> None:
        """A task run ended: its clusters' idle time starts now."""
        with self._servers.changed:
            used = [cid for cid, runs in self._servers.attached.items() if task_run_id in runs]
            for cluster_id in used:
                self._servers.attached[cluster_id].discard(task_run_id)
        for cluster_id in used:
            self.touch(cluster_id)

    def touch(self, cluster_id: str) -> None:
        """Record activity on a cluster (its auto-termination clock starts again)."""
        with self._db.transaction() as conn:
            storage.update_cluster(conn, cluster_id, last_activity_time=self._clock.now_ms())

    def terminate_run_clusters(self, run_id: int) -> None:
        """End the job clusters of a finished run (JOB_FINISHED)."""
        with self._db.read() as conn:
            clusters = storage.list_clusters(conn, job_run_id=run_id)
        for record in clusters:
            if ClusterState(record.state).is_active:
                self.terminate(record.cluster_id, code=TerminationCode.JOB_FINISHED)

    # -- housekeeping -------------------------------------------------------------------------

    def recover(self) -> None:
        """Finish what a stopped brickyard left: restart interrupted starts, end stops, mark
        dead servers, and end job clusters of runs that finished meanwhile."""
        with self._db.read() as conn:
            clusters = storage.list_clusters(
                conn, states=[s.value for s in ClusterState if s != ClusterState.TERMINATED]
            )
        for record in clusters:
            state = ClusterState(record.state)
            if record.job_run_id is not None and self._run_is_over(record.job_run_id):
                self._servers.stop_now(record.cluster_id)
                self._servers.finish_termination(record.cluster_id, TerminationCode.JOB_FINISHED)
            elif state == ClusterState.TERMINATING:
                self._servers.schedule_stop(record.cluster_id)
            elif state.is_starting:
                self._servers.stop_now(record.cluster_id)
                self._servers.schedule_start(record.cluster_id)
            elif state == ClusterState.RUNNING and not self._servers.is_alive(record.cluster_id):
                self._servers.mark_dead(record.cluster_id)

    def run_once(self) -> None:
        """Terminate idle clusters and mark RUNNING clusters whose server died."""
        now = self._clock.now_ms()
        with self._db.read() as conn:
            running = storage.list_clusters(conn, states=[ClusterState.RUNNING.value])
        for record in running:
            if not self._servers.is_alive(record.cluster_id):
                self._servers.mark_dead(record.cluster_id)
                continue
            minutes = record.spec.get("autotermination_minutes") or 0
            if not minutes or self._servers.attached.get(record.cluster_id):
                continue
            if now - record.last_activity_time >= int(minutes) * 60_000:
                self.terminate(record.cluster_id, code=TerminationCode.INACTIVITY)

    def close(self, *, stop_started: bool = False) -> None:
        """Wait for the service's threads. With ``stop_started`` (a one-shot command, which no
        housekeeping outlives) the clusters this process started are terminated first, so no
        JVM is left behind; otherwise their servers keep running for the next start."""
        if stop_started:
            for cluster_id in sorted(self._servers.started_here):
                try:
                    self.terminate(cluster_id)
                except NotFoundError:
                    continue
        self._servers.shutdown()

    # -- helpers ------------------------------------------------------------------------------

    def _checked_spec(self, spec: Mapping[str, Any]) -> ClusterSpec:
        parsed = parse_cluster_spec(spec)
        if not parsed.spark_version:
            raise InvalidInputError("spark_version is required (see clusters/spark-versions)")
        self._runtime.validate(parsed)
        return parsed

    def _new_record(
        self,
        cluster_id: str,
        name: str,
        spec: Mapping[str, Any],
        *,
        source: ClusterSource,
        creator: str | None,
        now: int,
        job_run: tuple[int, str, int | None] | None = None,
    ) -> storage.ClusterRecord:
        return storage.ClusterRecord(
            cluster_id=cluster_id,
            cluster_name=name,
            spec=dict(spec),
            state=ClusterState.PENDING.value,
            state_message="Starting Spark",
            cluster_source=source.value,
            creator_user_name=creator,
            job_run_id=None if job_run is None else job_run[0],
            job_cluster_key=None if job_run is None else job_run[1],
            job_id=None if job_run is None else job_run[2],
            pinned=False,
            start_time=now,
            last_restarted_time=None,
            terminated_time=None,
            last_activity_time=now,
            termination_reason=None,
            runtime=None,
            spark_context_id=None,
        )

    def _run_is_over(self, run_id: int) -> bool:
        with self._db.read() as conn:
            try:
                run = storage.read_run(conn, run_id)
            except InvalidInputError:
                return True
        return LifeCycleState(run.life_cycle_state) in TERMINAL_LIFE_CYCLE


def parse_cluster_spec(spec: Mapping[str, Any]) -> ClusterSpec:
    """A ``compute.ClusterSpec`` from a request body; InvalidInputError names the field."""
    try:
        return ClusterSpec.model_validate(dict(spec))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "cluster"
        raise InvalidInputError(f"{where}: {first['msg']}") from None


def _unexpected_state(record: storage.ClusterRecord) -> InvalidStateError:
    return InvalidStateError(
        f"Cluster {record.cluster_id} is in unexpected state {record.state.capitalize()}."
    )
