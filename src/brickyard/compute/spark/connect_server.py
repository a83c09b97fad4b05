"""A cluster's driver: one Spark Connect server per running cluster.

Every task on the cluster connects to it (``sc://127.0.0.1:<port>``), so the tasks of a run
share one JVM as they share one cluster on Databricks, and the second task does not pay a JVM
start (docs/ARCHITECTURE.md, "Clusters", has the figures that chose this over a driver per
task). The server runs in its own session, its logs in the cluster's folder; ``server.json``
there records pid, start time and port, so a restarted brickyard finds a live server again or
knows it is gone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from brickyard.compute.procfs import is_process_alive, read_process_start
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import spark_jars
from brickyard.compute.spark.sizing import SparkClusterPlan
from brickyard.task_protocol import write_json_atomic

CONNECT_SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
START_TIMEOUT_SECONDS = 180.0
"""A JVM start on a busy 2-core machine takes 10-20 s; a server that is not up after this is
reported as failed rather than waited on forever."""
STOP_GRACE_SECONDS = 15.0
SERVER_FILE = "server.json"
LOG_FILE = "driver.log"

_children: dict[int, subprocess.Popen[bytes]] = {}
"""Servers this process started, kept so they are reaped here (and not warned about as
unwaited children) when they stop."""


class ClusterStartError(Exception):
    """The server did not come up; the message is one line, from its log where it can be."""


@dataclass(frozen=True)
class RunningServer:
    """A live Spark Connect server."""

    pid: int
    process_start: int | None
    port: int
    master: str
    log_file: Path
    spark_ui_url: str | None = None

    @property
    def connect_url(self) -> str:
        """What a client passes to ``SparkSession.builder.remote``."""
        return f"sc://127.0.0.1:{self.port}"

    def is_alive(self) -> bool:
        """Whether the server process still runs."""
        return is_process_alive(self.pid, self.process_start)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_argv(
    installation: SparkInstallation,
    plan: SparkClusterPlan,
    *,
    port: int,
    extra_conf: Mapping[str, str],
    jars: Sequence[str],
) -> list[str]:
    """The spark-submit command line of a cluster's Connect server."""
    conf = {**plan.conf, **extra_conf}
    conf["spark.connect.grpc.binding.address"] = "127.0.0.1"
    # The driver listens on loopback unless the spec says otherwise: a laptop's driver must not
    # be reachable from the network, and a host name that does not resolve (containers, VPNs)
    # would otherwise fail the start. A standalone cluster on other hosts sets these itself.
    conf.setdefault("spark.driver.host", "127.0.0.1")
    conf.setdefault("spark.driver.bindAddress", conf["spark.driver.host"])
    conf["spark.connect.grpc.binding.port"] = str(port)
    all_jars = spark_jars(conf, list(jars))
    if all_jars:
        conf["spark.jars"] = all_jars
    argv = [str(installation.spark_submit), "--master", plan.master]
    if memory := conf.pop("spark.driver.memory", None):
        argv += ["--driver-memory", memory]
    for key, value in conf.items():
        argv += ["--conf", f"{key}={value}"]
    return [*argv, "--class", CONNECT_SERVER_CLASS, "spark-internal"]


def start_server(
    installation: SparkInstallation,
    plan: SparkClusterPlan,
    folder: Path,
    *,
    extra_conf: Mapping[str, str] | None = None,
    jars: Sequence[str] = (),
    timeout: float = START_TIMEOUT_SECONDS,
) -> RunningServer:
    """Start the server of ``plan`` and wait until it accepts connections.

    Raises :class:`ClusterStartError` when it exits or does not answer within ``timeout``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_file = folder / LOG_FILE
    argv = server_argv(installation, plan, port=port, extra_conf=extra_conf or {}, jars=jars)
    env = {**os.environ, **installation.environment(), **plan.env}
    # The connect server must not inherit a task's PYSPARK_* client settings.
    for variable in ("SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "SPARK_LOCAL_REMOTE"):
        env.pop(variable, None)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=env,
            start_new_session=True,
        )
    _children[process.pid] = process
    server = RunningServer(
        pid=process.pid,
        process_start=read_process_start(process.pid),
        port=port,
        master=plan.master,
        log_file=log_file,
    )
    write_json_atomic(folder / SERVER_FILE, _server_json(server))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _children.pop(process.pid, None)
            raise ClusterStartError(
                f"the Spark driver exited with status {process.returncode}: {_last_error(log_file)}"
            )
        if _accepts(port):
            return _with_ui_url(server)
        time.sleep(0.2)
    stop_server(server)
    raise ClusterStartError(
        f"the Spark driver did not answer on port {port} within {timeout:g} s (its log: {log_file})"
    )


def stop_server(server: RunningServer, grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop the server: SIGTERM to its process group, SIGKILL after ``grace`` seconds."""
    if not server.is_alive():
        _reap(server.pid)  # a zombie child of this process still needs its exit collected
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap(server.pid)
        if not server.is_alive():
            _reap(server.pid)
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)
    _reap(server.pid)


def read_server(folder: Path) -> RunningServer | None:
    """The server ``folder`` records, if its process still runs."""
    try:
        data = json.loads((folder / SERVER_FILE).read_text())
        server = RunningServer(
            pid=int(data["pid"]),
            process_start=data.get("process_start"),
            port=int(data["port"]),
            master=str(data["master"]),
            log_file=Path(data["log_file"]),
            spark_ui_url=data.get("spark_ui_url"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return server if server.is_alive() else None


def _server_json(server: RunningServer) -> dict[str, object]:
    return {
        "pid": server.pid,
        "process_start": server.process_start,
        "port": server.port,
        "master": server.master,
        "log_file": str(server.log_file),
        "spark_ui_url": server.spark_ui_url,
    }


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _reap(pid: int) -> None:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is not None:
            del _children[pid]
        return
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


_UI_MARKER = "started at http"


def _with_ui_url(server: RunningServer) -> RunningServer:
    """The server with the Spark UI address its log announces (Spark picks a free port)."""
    try:
        text = server.log_file.read_text(errors="replace")
    except OSError:
        return server
    for line in text.splitlines():
        if "SparkUI" in line and _UI_MARKER in line:
            url = "http" + line.split(_UI_MARKER, 1)[1].split()[0].rstrip('",')
            return dataclasses.replace(server, spark_ui_url=url)
    return server


def _last_error(log_file: Path) -> str:
    """The most telling line of a failed driver's log: the first exception or error line."""
    try:
        lines = log_file.read_text(errors="replace").splitlines()
    except OSError:
        return f"see {log_file}"
    for line in lines:
        stripped = line.strip()
        if "Exception" in stripped or stripped.startswith(("Error", "ERROR")):
            return stripped[:500]
    return lines[-1].strip()[:500] if lines else f"no output (see {log_file})"
