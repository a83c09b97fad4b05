"""``dbutils.notebook``: ``exit`` (stop with a value) and ``run`` (a child notebook run)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from brickyard.runtime.context import TaskContext
from brickyard.runtime.control_client import ControlRequestError, control_request
from brickyard.runtime.exceptions import NotebookExit, NotebookRunError

NO_ENGINE_MESSAGE = (
    "dbutils.notebook.run needs the brickyard engine: run this notebook as a task of a job"
)
_REPLY_LIMIT_BYTES = 64 * 1024 * 1024
# The engine enforces timeout_seconds and answers; the socket waits this much longer so a
# lost engine does not hang the task forever.
_REPLY_GRACE_SECONDS = 120.0


class NotebookUtils:
    """Notebook workflow utilities."""

    def __init__(self, context: TaskContext) -> None:
        self._context = context

    def exit(self, value: Any) -> NoReturn:
        """Stop the notebook successfully with ``str(value)`` as its exit value."""
        text = str(value)
        if self._context.on_exit is not None:
            self._context.on_exit(text)
        raise NotebookExit(text)

    def run(
        self,
        path: str,
        timeout_seconds: int,
        arguments: Mapping[str, str] | None = None,
    ) -> str | None:
        """Run another notebook as an ephemeral child run and return its exit value.

        The request goes to the engine over its control socket; a failed, timed-out or
        unstartable child raises :class:`NotebookRunError` carrying the engine's error.
        """
        spec = self._context.spec
        if spec is None or spec.control_socket is None:
            raise NotebookRunError(NO_ENGINE_MESSAGE)
        if not isinstance(timeout_seconds, int) or timeout_seconds < 0:
            raise ValueError("timeout_seconds must be a non-negative integer (0 = no timeout)")
        current = self._context.current_notebook_file
        request = {
            "op": "notebook_run",
            "path": path,
            "base_dir": str(current.parent) if current is not None else None,
            "timeout_seconds": timeout_seconds,
            "arguments": {str(k): str(v) for k, v in (arguments or {}).items()},
            "parent_task_run_id": spec.task_run_id,
        }
        wait = None if timeout_seconds == 0 else timeout_seconds + _REPLY_GRACE_SECONDS
        reply = _request(str(spec.control_socket), request, wait)
        run_id = reply.get("run_id")
        run_id = run_id if isinstance(run_id, int) else None
        if reply.get("ok") is True:
            result = reply.get("result")
            return None if result is None else str(result)
        error = reply.get("error") or "the notebook run failed"
        raise NotebookRunError(f"dbutils.notebook.run({path!r}) failed: {error}", run_id=run_id)


def _request(socket_path: str, request: dict[str, Any], wait: float | None) -> dict[str, Any]:
    """Send one JSON line and read one JSON line back."""
    try:
        return control_request(socket_path, request, wait)
    except ControlRequestError as error:
        raise NotebookRunError(f"dbutils.notebook.run({request['path']!r}): {error}") from None
