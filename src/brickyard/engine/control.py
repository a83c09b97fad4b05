"""The engine's control socket: how a task process asks the engine for what it cannot do
itself (it never opens the store).

Each request is one JSON line with an ``op``, answered with one JSON line:

- ``notebook_run`` (``dbutils.notebook.run``): the loop starts a child run (run_type
  WORKFLOW_RUN) and answers when that run has finished;
- any op with a *handler* (``spark_cluster``: the task's cluster, started on demand) is
  answered by its handler on the connection's own thread, so a slow answer (a cluster start)
  never holds up the loop.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.engine.requests import RunRequest
from brickyard.errors import InvalidInputError
from brickyard.spec import TaskType, parse_job_settings
from brickyard.states import RunType, TriggerType

logger = logging.getLogger(__name__)

_MAX_REQUEST_BYTES = 1 << 20

ControlHandler = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""Answers one request payload (called on the connection's thread; must not raise)."""


@dataclass
class ControlRequest:
    """One request from a task process, with the connection to answer on."""

    connection: socket.socket
    payload: Mapping[str, Any]

    @property
    def parent_task_run_id(self) -> int | None:
        """The task run that asked."""
        value = self.payload.get("parent_task_run_id")
        return value if isinstance(value, int) else None

    def to_run_request(self) -> RunRequest:
        """The child run a ``notebook_run`` request asks for."""
        if self.payload.get("op") != "notebook_run":
            raise InvalidInputError(f"unknown control operation {self.payload.get('op')!r}")
        path = self.payload.get("path")
        if not isinstance(path, str) or not path:
            raise InvalidInputError("dbutils.notebook.run needs a notebook path")
        arguments = self.payload.get("arguments") or {}
        if not isinstance(arguments, dict):
            raise InvalidInputError("dbutils.notebook.run arguments must be a map of strings")
        timeout = self.payload.get("timeout_seconds") or 0
        name = re.sub(r"[^A-Za-z0-9_-]", "_", path.rstrip("/").rsplit("/", 1)[-1]) or "notebook"
        settings = parse_job_settings(
            {
                "name": path,
                "timeout_seconds": int(timeout),
                "tasks": [
                    {
                        "task_key": name[:100],
                        TaskType.NOTEBOOK.value: {
                            "notebook_path": path,
                            "base_parameters": {str(k): str(v) for k, v in arguments.items()},
                        },
                    }
                ],
            },
            source="dbutils.notebook.run",
        )
        base_dir = self.payload.get("base_dir")
        return RunRequest(
            settings=settings,
            job_id=None,
            run_type=RunType.WORKFLOW_RUN,
            trigger=TriggerType.ONE_TIME,
            base_dir=Path(base_dir) if isinstance(base_dir, str) else None,
            run_name=path,
            parent_task_run_id=self.parent_task_run_id,
        )

    def reply(self, body: Mapping[str, Any]) -> None:
        """Answer and close the connection (a caller that went away is not an error)."""
        with contextlib.suppress(OSError):
            self.connection.sendall(json.dumps(body).encode() + b"\n")
        with contextlib.suppress(OSError):
            self.connection.close()


class ControlServer:
    """Accepts control connections in a thread; hands each request to its op's handler, or
    else to ``deliver`` (the loop's inbox)."""

    def __init__(
        self,
        deliver: Callable[[ControlRequest], None],
        handlers: Mapping[str, ControlHandler] | None = None,
    ) -> None:
        # AF_UNIX paths are limited to ~100 bytes, so the socket lives in a short temp folder.
        folder = Path(tempfile.mkdtemp(prefix="brickyard-"))
        self.path = folder / "engine.sock"
        self._deliver = deliver
        self._handlers = dict(handlers or {})
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.bind(str(self.path))
        self.path.chmod(0o600)
        self._socket.listen(64)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="brickyard-control", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection: socket.socket) -> None:
        buffer = b""
        try:
            while b"\n" not in buffer and len(buffer) < _MAX_REQUEST_BYTES:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                buffer += chunk
            payload = json.loads(buffer.split(b"\n", 1)[0] or b"{}")
        except (OSError, ValueError) as error:
            ControlRequest(connection, {}).reply({"ok": False, "run_id": None, "error": str(error)})
            return
        if not isinstance(payload, dict):
            ControlRequest(connection, {}).reply(
                {"ok": False, "run_id": None, "error": "a control request is a JSON object"}
            )
            return
        handler = self._handlers.get(str(payload.get("op")))
        if handler is None:
            self._deliver(ControlRequest(connection, payload))
            return
        try:
            answer = handler(payload)
        except Exception as error:  # a handler bug must still answer the waiting task
            logger.exception("control op %r failed", payload.get("op"))
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        ControlRequest(connection, payload).reply(answer)

    def close(self) -> None:
        """Stop accepting requests and remove the socket file."""
        self._closed.set()
        with contextlib.suppress(OSError):
            self._socket.close()
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            self.path.parent.rmdir()
