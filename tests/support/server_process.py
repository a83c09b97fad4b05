"""``brickyard server`` as a subprocess on a free port, for end-to-end tests (``tests/e2e``)."""

from __future__ import annotations

import signal
import subprocess
import time
from typing import Any

import httpx

from support.api_server import free_port

TOKEN = "dapi-e2e-server-token"


class Server:
    """A ``brickyard server`` subprocess on a free port."""

    def __init__(self, cli: Any, *, token: str | None = TOKEN) -> None:
        self.cli = cli
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(cli.env)
        self.env.pop("BRICKYARD_TOKEN", None)
        if token:
            self.env["BRICKYARD_TOKEN"] = token
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.cli.command("server", "--port", str(self.port)),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=self.cli.root,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/.well-known/databricks-config").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, self.stop()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)

    def stop(self) -> str:
        """SIGTERM, then the server's whole output."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        return output

    def client(self, token: str = TOKEN) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
