"""Who owns a run: an engine is ``host:pid:process_start``, so a dead owner is recognisable
(pid reuse included) on the same host, and a lease covers owners on other hosts."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from brickyard.compute.procfs import is_process_alive, read_process_start


@dataclass(frozen=True)
class EngineIdentity:
    """The identity of one engine process."""

    host: str
    pid: int
    start: int | None

    @property
    def owner(self) -> str:
        """The value stored in ``runs.owner``."""
        return f"{self.host}:{self.pid}:{self.start if self.start is not None else ''}"

    @classmethod
    def current(cls) -> EngineIdentity:
        """This process."""
        pid = os.getpid()
        return cls(socket.gethostname(), pid, read_process_start(pid))

    @classmethod
    def parse(cls, owner: str) -> EngineIdentity | None:
        """Read an owner string back (None when it is not one)."""
        parts = owner.rsplit(":", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        host, pid, start = parts
        return cls(host, int(pid), int(start) if start.isdigit() else None)

    def is_alive_locally(self) -> bool:
        """Whether this engine's process still runs (only meaningful on the same host)."""
        return is_process_alive(self.pid, self.start)
