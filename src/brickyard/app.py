"""The composition root: Settings -> storage -> workspace -> environments -> executors -> engine
-> triggers.

The only module that knows the concrete classes; everything above (CLI, API) asks it for a
:class:`Services` and talks to the parts through it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from brickyard import storage
from brickyard.clock import Clock, SystemClock
from brickyard.clusters import ClusterRuntime, ClusterService, LibraryInstaller
from brickyard.clusters.library_installer import ClusterLibraryInstaller
from brickyard.clusters.spark_runtime import SparkConnectRuntime
from brickyard.clusters.task_clusters import SPARK_CLUSTER_OP, TaskClusters
from brickyard.compute.environments import EnvironmentCache
from brickyard.compute.launcher import LocalLauncher
from brickyard.engine import Engine, EventBus, RunRequest
from brickyard.engine.events import EngineEvent, RunChanged
from brickyard.executors.registry import ExecutorRegistry
from brickyard.params import RunOverrides
from brickyard.settings import Settings
from brickyard.spec import LoadedJob
from brickyard.spec.update import keep_pause_status
from brickyard.states import TERMINAL_LIFE_CYCLE
from brickyard.triggers import TriggerService
from brickyard.warehouse.service import WarehouseService
from brickyard.warehouse.statements import StatementService
from brickyard.workspace import Workspace

logger = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL_SECONDS = 10.0
"""How often the server looks for idle and dead clusters and idle warehouses."""


@dataclass
class Services:
    """The running parts of one brickyard process."""

    settings: Settings
    database: storage.Database
    workspace: Workspace
    engine: Engine
    events: EventBus
    clock: Clock
    triggers: TriggerService
    clusters: ClusterService
    warehouses: WarehouseService
    statements: StatementService
    one_shot: bool = False
    """A command that runs and exits (``brickyard run``): its clusters end with it."""
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _engine_thread: threading.Thread | None = field(default=None, repr=False)
    _triggers_stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _triggers_thread: threading.Thread | None = field(default=None, repr=False)
    _housekeeping_stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _housekeeping_thread: threading.Thread | None = field(default=None, repr=False)

    def start_engine(self) -> None:
        """Drive runs in a background thread (the server's engine) until :meth:`stop_engine`."""
        if self._engine_thread is not None:
            return
        self._stop.clear()
        self._engine_thread = threading.Thread(
            target=self.engine.serve, args=(self._stop,), name="brickyard-engine", daemon=True
        )
        self._engine_thread.start()

    def stop_engine(self, timeout: float = 10.0) -> None:
        """Stop the background engine after its current step; task processes keep running
        and the next start adopts them."""
        thread, self._engine_thread = self._engine_thread, None
        if thread is None:
            return
        self._stop.set()
        self.engine.wake()
        thread.join(timeout)

    def start_triggers(self) -> None:
        """Fire schedules and triggers in a background thread (the server's) until
        :meth:`stop_triggers`."""
        if self._triggers_thread is not None:
            return
        self._triggers_stop.clear()
        self._triggers_thread = threading.Thread(
            target=self.triggers.serve,
            args=(self._triggers_stop,),
            name="brickyard-triggers",
            daemon=True,
        )
        self._triggers_thread.start()

    def stop_triggers(self, timeout: float = 10.0) -> None:
        """Stop firing after the current tick (what it fired is committed or not at all)."""
        thread, self._triggers_thread = self._triggers_thread, None
        if thread is None:
            return
        self._triggers_stop.set()
        self.triggers.wake()
        thread.join(timeout)

    def start_housekeeping(self) -> None:
        """In a background thread (the server's) until stopped: recover the clusters and
        warehouses a stopped brickyard left half started or stopped, then every few seconds
        end idle and dead clusters and stop idle warehouses."""
        if self._housekeeping_thread is not None:
            return
        self._housekeeping_stop.clear()
        self._housekeeping_thread = threading.Thread(
            target=self._housekeep,
            args=(self._housekeeping_stop,),
            name="brickyard-housekeeping",
            daemon=True,
        )
        self._housekeeping_thread.start()

    def stop_housekeeping(self, timeout: float = 10.0) -> None:
        """Stop the housekeeping thread (clusters and warehouses keep running)."""
        thread, self._housekeeping_thread = self._housekeeping_thread, None
        if thread is None:
            return
        self._housekeeping_stop.set()
        thread.join(timeout)

    def _housekeep(self, stop: threading.Event) -> None:
        self.clusters.recover()
        self.warehouses.recover()
        while not stop.wait(HOUSEKEEPING_INTERVAL_SECONDS):
            for chore in (self.clusters.run_once, self.warehouses.run_once):
                try:
                    chore()
                except Exception:  # housekeeping must outlive one bad row
                    logger.exception("housekeeping failed")

    def close(self) -> None:
        """Stop the engine's helpers (task processes and all-purpose clusters keep running)
        and close the store; job clusters of runs that ended are stopped first."""
        self.stop_triggers()
        self.stop_housekeeping()
        self.stop_engine()
        self.engine.close()
        self.events.unsubscribe(self._cluster_events)
        self.clusters.close(stop_started=self.one_shot)
        self.statements.close()
        self.warehouses.close()
        self.database.dispose()

    def _cluster_events(self, event: EngineEvent) -> None:
        """Job clusters end with their run; a task's end starts its cluster's idle time."""
        if isinstance(event, RunChanged):
            if event.life_cycle_state in TERMINAL_LIFE_CYCLE:
                self.clusters.terminate_run_clusters(event.run_id)
        elif event.life_cycle_state in TERMINAL_LIFE_CYCLE:
            self.clusters.detach(event.task_run_id)

    def __post_init__(self) -> None:
        self.events.subscribe(self._cluster_events)


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    adopt_orphans: bool = False,
    control_socket: bool = True,
    cluster_runtime: ClusterRuntime | None = None,
    library_installer: LibraryInstaller | None = None,
) -> Services:
    """Open the store (migrating it if needed) and wire the engine.

    ``adopt_orphans`` decides what happens to runs whose engine is gone: a long-lived engine
    (the server) adopts their living task processes and drives them on; a one-shot command
    ends them with INTERNAL_ERROR so no task stays RUNNING forever.
    """
    settings.home.mkdir(parents=True, exist_ok=True)
    database = storage.Database.open(settings.database_url)
    workspace = Workspace(settings.workspace_root)
    environments = EnvironmentCache(settings.environments_root, settings.python_executable)
    events = EventBus()
    the_clock = clock or SystemClock()
    clusters = ClusterService(
        database,
        the_clock,
        cluster_runtime or SparkConnectRuntime(settings),
        library_installer or ClusterLibraryInstaller(settings, environments),
    )
    executors = ExecutorRegistry(
        settings, workspace, environments, cluster_libraries=clusters.task_libraries
    )
    engine = Engine(
        settings=settings,
        database=database,
        executors=executors,
        launcher_factory=LocalLauncher,
        clock=the_clock,
        events=events,
        adopt_orphans=adopt_orphans,
        control_socket=control_socket,
        control_handlers={SPARK_CLUSTER_OP: TaskClusters(database, clusters).answer},
    )
    warehouses = WarehouseService(database, the_clock, settings.lakehouse_root)
    triggers = TriggerService(settings=settings, database=database, engine=engine, clock=the_clock)
    return Services(
        settings,
        database,
        workspace,
        engine,
        events,
        the_clock,
        triggers,
        clusters,
        warehouses,
        StatementService(warehouses),
        not adopt_orphans,
    )


def register_job_file(services: Services, loaded: LoadedJob) -> storage.JobRecord:
    """The job stored for a job file: created on first use, its settings updated (a new
    version in the history) when the file changed; a pause made with ``brickyard jobs
    pause`` stays unless the file sets ``pause_status`` itself."""
    with services.database.transaction() as conn:
        return _store_job_file(conn, loaded, now_ms=services.clock.now_ms())


def submit_job_file(
    services: Services,
    loaded: LoadedJob,
    *,
    overrides: RunOverrides,
    only: Sequence[str] | None,
) -> tuple[storage.JobRecord, storage.RunRecord]:
    """Register a job file's job and create its run in ONE transaction, then wake the engine.

    Why one transaction: a run the engine refuses (an undefined job parameter, an unknown
    ``only`` key) must leave no job behind either, as if the file had never been run.
    """
    with services.database.transaction() as conn:
        job = _store_job_file(conn, loaded, now_ms=services.clock.now_ms())
        run = services.engine.create_run(
            conn,
            RunRequest(
                settings=loaded.settings,
                job_id=job.job_id,
                overrides=overrides,
                only=only,
                base_dir=loaded.base_dir,
            ),
        )
    services.engine.wake()
    return job, run


def _store_job_file(conn: Connection, loaded: LoadedJob, *, now_ms: int) -> storage.JobRecord:
    source = str(loaded.path)
    settings = loaded.settings.to_api()
    job = storage.find_job_by_source(conn, source)
    if job is None:
        return storage.create_job(conn, settings, now_ms=now_ms, source_path=source)
    settings = keep_pause_status(settings, job.settings)
    if job.settings != settings:
        return storage.update_job_settings(conn, job.job_id, settings, now_ms=now_ms)
    return job


def job_file_of(services: Services, job_id: int) -> Path | None:
    """The file a job was registered from, when it still exists."""
    with services.database.read() as conn:
        job = storage.read_job(conn, job_id)
    if job.source_path and Path(job.source_path).exists():
        return Path(job.source_path)
    return None
