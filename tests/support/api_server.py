"""A real brickyard server for tests and benchmarks: uvicorn on a free port over real SQLite
and real task processes, an HTTP client for it, and the polling the SDK waiter does."""

from __future__ import annotations

import socket
import textwrap
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from brickyard.api.app import create_app
from brickyard.api.auth import bootstrap_admin_token
from brickyard.app import Services, build_services
from brickyard.clusters import ClusterRuntime
from brickyard.settings import Settings

ADMIN_TOKEN = "dapi-test-admin-token"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerThread:
    """uvicorn serving an app in a background thread, stopped like SIGTERM would."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)


@dataclass
class RunningServer:
    """A started server: its address, an admin token, and the services behind it."""

    url: str
    token: str
    services: Services
    home: Path

    def write_file(self, workspace_path: str, text: str) -> str:
        """Put a file (a task script, a notebook) into the server's workspace."""
        target = self.home / "workspace" / workspace_path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
        return workspace_path

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client sending ``token`` (the admin's by default)."""
        return httpx.Client(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token or self.token}"},
            timeout=30,
        )


def start_server(
    home: Path,
    *,
    port: int | None = None,
    cluster_runtime: ClusterRuntime | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[RunningServer, ServerThread]:
    """Build services over ``home`` and serve them; the caller stops both. Clusters run on
    ``cluster_runtime`` (default: real Spark Connect servers). ``environ`` adds ``BRICKYARD_*``
    settings (``BRICKYARD_MAVEN_REPOSITORIES``, ...); the process's own are not read."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    settings = replace(
        Settings.from_env({**(environ or {}), "BRICKYARD_HOME": str(home)}),
        base_url=url,
        max_parallel_tasks=16,
    )
    services = build_services(settings, adopt_orphans=True, cluster_runtime=cluster_runtime)
    bootstrap_admin_token(services.database, services.clock, ADMIN_TOKEN)
    thread = ServerThread(create_app(settings, services), "127.0.0.1", port)
    thread.start()
    return RunningServer(url, ADMIN_TOKEN, services, home), thread


TERMINAL = ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")


def wait_for_run(client: httpx.Client, run_id: int, timeout: float = 60) -> dict[str, Any]:
    """Poll ``runs/get`` as the SDK waiter does until the run is terminal; its body."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/api/2.2/jobs/runs/get", params={"run_id": run_id})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["state"]["life_cycle_state"] in TERMINAL:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} did not finish: {body['state']}")
        time.sleep(0.05)


def python_job(name: str, script: str, **extra: Any) -> dict[str, Any]:
    """Job settings with one spark_python_task running workspace file ``script``."""
    return {
        "name": name,
        "tasks": [{"task_key": "main", "spark_python_task": {"python_file": script}}],
        **extra,
    }
