"""A real Spark standalone cluster on loopback for tests: one master and its workers, started
from the Spark that pyspark ships (``spark-class`` runs the daemons in the foreground, so each
is a child process the fixture owns and stops)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.compute.spark.connect_server import free_port
from brickyard.compute.spark.installation import SparkInstallation

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
READY_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class StandaloneCluster:
    """A running master (``spark://127.0.0.1:<port>``) and the address of its web UI."""

    master_url: str
    web_ui_url: str
    log_folder: Path

    def state(self) -> dict[str, Any]:
        """The master's JSON status: workers, alive workers, active and completed apps."""
        with urllib.request.urlopen(f"{self.web_ui_url}/json/", timeout=5) as response:
            state: dict[str, Any] = json.load(response)
        return state


@contextlib.contextmanager
def standalone_cluster(
    installation: SparkInstallation, folder: Path, *, workers: int, cores: int, memory: str
) -> Iterator[StandaloneCluster]:
    """A master with ``workers`` workers of ``cores`` cores and ``memory`` each, ready (every
    worker registered) when entered, stopped when left."""
    folder.mkdir(parents=True, exist_ok=True)
    port, ui_port = free_port(), free_port()
    env = {
        **os.environ,
        **installation.environment(),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_WORKER_DIR": str(folder / "work"),
    }
    processes: list[subprocess.Popen[bytes]] = []

    def daemon(name: str, *argv: str) -> None:
        with (folder / f"{name}.log").open("ab") as log:
            processes.append(
                subprocess.Popen(
                    [str(installation.spark_class), *argv],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    start_new_session=True,
                )
            )

    master_url = f"spark://127.0.0.1:{port}"
    cluster = StandaloneCluster(master_url, f"http://127.0.0.1:{ui_port}", folder)
    try:
        daemon("master", MASTER_CLASS, "--host", "127.0.0.1", "--port", str(port),
               "--webui-port", str(ui_port))  # fmt: skip
        for index in range(workers):
            daemon(f"worker-{index}", WORKER_CLASS, "--host", "127.0.0.1", "--cores", str(cores),
                   "--memory", memory, "--webui-port", str(free_port()), master_url)  # fmt: skip
        _wait_for_workers(cluster, workers, processes)
        yield cluster
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for_workers(
    cluster: StandaloneCluster, workers: int, processes: list[subprocess.Popen[bytes]]
) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        exited = [p for p in processes if p.poll() is not None]
        if exited:
            raise RuntimeError(f"a Spark daemon exited; its logs are in {cluster.log_folder}")
        with contextlib.suppress(OSError, ValueError):
            if cluster.state().get("aliveworkers", 0) >= workers:
                return
        time.sleep(0.5)
    raise RuntimeError(f"{workers} workers did not register within {READY_TIMEOUT_SECONDS:g} s")
