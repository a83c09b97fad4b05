"""A cluster runtime for tests of the cluster life cycle: each cluster is a real process (a
small TCP server on a free port) started and stopped like a Spark driver, without the 20 s of
a JVM. Spark itself is tested with the real runtime in tests/clusters/test_spark_runtime.py.

A spec steers it through ``spark_conf``: ``brickyard.test.start_seconds`` delays the start,
``brickyard.test.fail`` makes the start fail with that message.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

from brickyard.clusters import ClusterStartError, ClusterStartRequest, RunningCluster
from brickyard.compute.spark.sizing import plan_cluster
from brickyard.spec import ClusterSpec

_SERVER = """
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen()
print(server.getsockname()[1], flush=True)
while True:
    connection, _ = server.accept()
    connection.close()
"""


class ProcessClusterRuntime:
    """Runs each cluster as one real server process; counts starts for the tests."""

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self.starts: list[str] = []
        self._lock = threading.Lock()

    def validate(self, spec: ClusterSpec) -> None:
        plan_cluster(spec, cluster_id="check", cluster_name="check")

    def start(self, cluster: ClusterStartRequest) -> RunningCluster:
        conf = cluster.spec.spark_conf or {}
        time.sleep(float(conf.get("brickyard.test.start_seconds", "0")))
        if "brickyard.test.fail" in conf:
            raise ClusterStartError(str(conf["brickyard.test.fail"]))
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        port = int(process.stdout.readline())
        with self._lock:
            self.processes[cluster.cluster_id] = process
            self.starts.append(cluster.cluster_id)
        return RunningCluster(
            connect_url=f"sc://127.0.0.1:{port}",
            spark_context_id=process.pid,
            master="local[1]",
            spark_ui_url=None,
            driver_log=None,
            jars=tuple(str(jar) for jar in cluster.jars),
        )

    def stop(self, cluster_id: str) -> None:
        with self._lock:
            process = self.processes.pop(cluster_id, None)
        if process is not None:
            process.terminate()
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()

    def is_alive(self, cluster_id: str) -> bool:
        process = self.processes.get(cluster_id)
        return process is not None and process.poll() is None

    def kill(self, cluster_id: str) -> None:
        """Kill a cluster's process behind the service's back (a driver that died)."""
        process = self.processes[cluster_id]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def accepts(self, cluster_id: str, connect_url: str) -> bool:
        """Whether the cluster's server answers at ``connect_url``."""
        port = int(connect_url.rsplit(":", 1)[1])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return True
        except OSError:
            return False

    def close(self) -> None:
        for cluster_id in list(self.processes):
            self.stop(cluster_id)
