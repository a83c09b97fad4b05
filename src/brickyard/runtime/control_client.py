"""The task side of the engine's control socket: one JSON line out, one JSON line back.

Callers (``dbutils.notebook.run``, the Spark cluster lookup) word their own errors from the
:class:`ControlRequestError` this raises, since each knows what it was asking for.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Final

REPLY_LIMIT_BYTES: Final = 1 << 20
CONNECT_SECONDS: Final = 10.0


class ControlRequestError(Exception):
    """The engine did not answer (``timed_out``), could not be reached, or answered with
    something that is not a JSON object; the message says which."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


def control_request(
    socket_path: str | Path, request: dict[str, Any], wait: float | None
) -> dict[str, Any]:
    """Send ``request`` and return the engine's reply, waiting ``wait`` seconds for it (None:
    as long as it takes)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(CONNECT_SECONDS)
            conn.connect(str(socket_path))
            conn.settimeout(wait)
            conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
            with conn.makefile("rb") as replies:
                line = replies.readline(REPLY_LIMIT_BYTES)
    except TimeoutError:
        raise ControlRequestError("no answer from the brickyard engine", timed_out=True) from None
    except OSError as error:
        raise ControlRequestError(
            f"cannot reach the brickyard engine at {socket_path}: {error}"
        ) from None
    try:
        reply = json.loads(line)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise ControlRequestError("the brickyard engine sent an invalid reply")
    return reply
