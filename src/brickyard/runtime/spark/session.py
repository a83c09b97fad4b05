"""The task's Spark session, built the first time the task's code uses it.

LOCAL: a classic session in this process (``master`` or ``local[*]``, the spec's conf and
jars: the lakehouse catalogs). CLUSTER: the engine is asked for the cluster's Spark Connect
address and the session is a Connect client of that server, shared with the run's other
tasks. At the end of the task a LOCAL session is stopped with its JVM; a CLUSTER session only
releases its server-side session and closes the client: the server belongs to the cluster.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brickyard.runtime.exceptions import SparkSessionError
from brickyard.task_protocol import RuntimeSpec, SparkMode, SparkSessionSpec

if TYPE_CHECKING:
    from brickyard.runtime.spark.cluster_address import ClusterAddress

INSTALL_MESSAGE = (
    "this task uses spark, but Spark is not installed where brickyard runs: install "
    "brickyard[spark] (pip install 'brickyard[spark]', with Java 17 or newer)"
)
_JVM_EXIT_WAIT_SECONDS = 15.0
_CONNECT_PROBE_SECONDS = 10.0
_DEFAULT_CONNECT_PORT = 15002


class TaskSpark:
    """One task process's Spark session: nothing until :meth:`session` is first called."""

    def __init__(
        self,
        spec: SparkSessionSpec | None,
        *,
        control_socket: Path | None = None,
        task_run_id: int | None = None,
    ) -> None:
        self.spec = spec
        self._control_socket = control_socket
        self._task_run_id = task_run_id
        self._session: Any = None
        self._building = False
        self._closed = False
        self._lock = threading.RLock()
        self._listeners: list[Callable[[Any], None]] = []
        self.cluster: ClusterAddress | None = None
        """The cluster a CLUSTER session is connected to (once it is)."""

    @classmethod
    def for_task(cls, spec: RuntimeSpec) -> TaskSpark:
        """The session of the task ``spec`` describes, its readers and writers taking
        ``dbfs:/`` and ``/Volumes/`` paths as Databricks' do."""
        from brickyard.runtime.context import RuntimePaths
        from brickyard.runtime.spark import storage_paths

        task_spark = cls(
            spec.spark, control_socket=spec.control_socket, task_run_id=spec.task_run_id
        )
        task_spark.on_started(storage_paths.install(RuntimePaths.from_spec(spec)))
        return task_spark

    @property
    def started(self) -> bool:
        """Whether the session has been built (and not closed)."""
        return self._session is not None

    @property
    def building(self) -> bool:
        """Whether the session is being built right now (pyspark's own calls pass through)."""
        return self._building

    @property
    def available(self) -> bool:
        """Whether this task has a session to build: Spark was installed when it was planned,
        and the task has not ended its use of Spark (after :meth:`close`, pyspark's own calls,
        such as exit handlers, must not start a new one)."""
        return self.spec is not None and not self._closed

    @property
    def is_connect(self) -> bool:
        """Whether the session is a Spark Connect client (a CLUSTER session)."""
        return self.spec is not None and self.spec.mode is SparkMode.CLUSTER

    def on_started(self, listener: Callable[[Any], None]) -> None:
        """Call ``listener(session)`` once the session is built."""
        self._listeners.append(listener)

    def session(self) -> Any:
        """The session, built on the first call. Raises :class:`SparkSessionError`."""
        with self._lock:
            if self._session is not None:
                return self._session
            if self._building:
                raise SparkSessionError("the task's Spark session is still being built")
            if self._closed:
                raise SparkSessionError("the task's Spark session ended with the task")
            self._building = True
            try:
                self._session = self._build()
            finally:
                self._building = False
            for listener in self._listeners:
                listener(self._session)
            return self._session

    def _build(self) -> Any:
        spec = self.spec
        if spec is None:
            raise SparkSessionError(INSTALL_MESSAGE)
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise SparkSessionError(INSTALL_MESSAGE) from None
        if spec.mode is SparkMode.CLUSTER:
            return self._connect(SparkSession)
        return _local_session(SparkSession, spec)

    def _connect(self, session_class: Any) -> Any:
        if self._task_run_id is None:
            raise SparkSessionError("this task's Spark cluster is unknown (no task run id)")
        # Only tasks on a cluster that use spark import the control client.
        from brickyard.runtime.spark.cluster_address import ask_for_cluster

        address = ask_for_cluster(self._control_socket, self._task_run_id)
        remote = address.remote
        # pyspark's Connect client retries an unreachable server for minutes: see first.
        _probe(remote)
        try:
            session = session_class.builder.remote(remote).getOrCreate()
            session.version  # noqa: B018 - one round trip: a server that does not serve fails here
        except Exception as error:
            raise SparkSessionError(
                f"cannot connect to the cluster's Spark Connect server at {remote}: "
                f"{_first_line(error)}"
            ) from error
        for note in address.notes:  # said once, where the task's log starts its Spark
            print(f"brickyard: {note}", file=sys.stderr, flush=True)
        if address.artifacts:
            # Libraries installed on the running cluster after its server started.
            try:
                session.addArtifacts(*address.artifacts)
            except Exception as error:
                raise SparkSessionError(
                    f"cannot add the cluster's libraries to the session: {_first_line(error)}"
                ) from error
        # SparkSession.builder.getOrCreate() in the task's code (no remote given) finds this
        # session through SPARK_REMOTE, as on a Databricks cluster.
        os.environ["SPARK_REMOTE"] = remote
        self.cluster = address
        return session

    def close(self) -> None:
        """End the task's use of Spark: stop a LOCAL session and its JVM; for a CLUSTER session
        release it and close the client (never the server: the cluster is shared)."""
        with self._lock:
            session, self._session = self._session, None
            self._closed = True
        if session is None:
            return
        try:
            session.stop()
            if not self.is_connect:
                _stop_jvm()
        except Exception as error:  # the task's result must still be written
            print(f"warning: stopping the Spark session failed: {error}", file=sys.stderr)


_CONNECT_VARIABLES = ("SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "SPARK_LOCAL_REMOTE")
"""pyspark's switches to a Spark Connect session; a process that ever made a Connect client
sets them, and a task inherits them from whatever started brickyard."""


def _local_session(session_class: Any, spec: SparkSessionSpec) -> Any:
    # A LOCAL task's session is a classic one whatever the environment says: inherited Connect
    # switches would make pyspark dial a server that is not this task's (or none at all).
    for variable in _CONNECT_VARIABLES:
        os.environ.pop(variable, None)
    builder = session_class.builder.master(spec.master or "local[*]").appName(spec.app_name)
    conf = dict(spec.conf)
    jars = [jar for jar in conf.get("spark.jars", "").split(",") if jar]
    jars = list(dict.fromkeys([*jars, *spec.jars]))
    if jars:
        conf["spark.jars"] = ",".join(jars)
    for key, value in conf.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as error:
        raise SparkSessionError(
            f"the task's local Spark session did not start: {_first_line(error)}"
        ) from error


def _stop_jvm() -> None:
    """End the JVM pyspark started for a classic session (it exits when its stdin closes)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is None:
        return
    SparkContext._gateway = None
    SparkContext._jvm = None
    gateway.shutdown()
    process = getattr(gateway, "proc", None)
    if process is None:
        return
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=_JVM_EXIT_WAIT_SECONDS)
    except Exception:
        process.kill()
        process.wait()


def _probe(remote: str) -> None:
    host, port = _host_port(remote)
    try:
        with socket.create_connection((host, port), timeout=_CONNECT_PROBE_SECONDS):
            pass
    except OSError as error:
        raise SparkSessionError(
            f"cannot connect to the cluster's Spark Connect server at {remote}: "
            f"{error.strerror or error}"
        ) from None


def _host_port(remote: str) -> tuple[str, int]:
    """Host and port of ``sc://host[:port][/;params]``."""
    authority = remote.removeprefix("sc://").split("/", 1)[0].split(";", 1)[0]
    host, colon, port = authority.rpartition(":")
    if not colon:
        return authority, _DEFAULT_CONNECT_PORT
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise SparkSessionError(f"{remote!r} is not a Spark Connect address") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
