"""``pid.json``: which process runs an attempt, written first by the task runtime and read by
engine recovery to adopt or stop that process after a crash."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.task_protocol.fields import FieldReader
from brickyard.task_protocol.json_files import ProtocolError, read_json_object, write_json_atomic
from brickyard.task_protocol.procfs import read_process_start

PID_VERSION = 1


@dataclass(frozen=True)
class PidFile:
    """The process of one attempt: its pid and start time (None without ``/proc``)."""

    pid: int
    process_start: int | None = None

    @classmethod
    def of_process(cls, pid: int) -> PidFile:
        """The pid file of the running process ``pid``."""
        return cls(pid=pid, process_start=read_process_start(pid))

    def to_json(self) -> dict[str, Any]:
        """The ``pid.json`` object."""
        return {"version": PID_VERSION, "pid": self.pid, "process_start": self.process_start}

    @classmethod
    def from_json(cls, raw: dict[str, Any], source: str = "pid.json") -> PidFile:
        """Check a decoded ``pid.json`` (files written before it had a version are version 1)."""
        reader = FieldReader(raw, source)
        reader.version(PID_VERSION)
        return cls(pid=reader.integer("pid"), process_start=reader.optional_int("process_start"))


def write_pid_file(path: Path, pid: int | None = None) -> None:
    """Write ``pid.json`` atomically for ``pid`` (this process by default): the first thing a
    task process does."""
    write_json_atomic(path, PidFile.of_process(os.getpid() if pid is None else pid).to_json())


def read_pid_file(path: Path) -> PidFile:
    """Read ``pid.json``; raises :class:`ProtocolError` when missing or damaged."""
    return PidFile.from_json(read_json_object(path, "pid file"), source=str(path))


__all__ = ["PID_VERSION", "PidFile", "ProtocolError", "read_pid_file", "write_pid_file"]
