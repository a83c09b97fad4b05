"""The pre-warmed fork server: starts task processes by forking an interpreter that has already
imported the task runtime, which is far cheaper than starting a new interpreter.

Started by the launcher as ``python -m brickyard.runtime.forkserver``. It speaks one JSON object
per line over its stdin (requests) and stdout (replies)::

    -> {"id": 1, "spec": "/t/spec.json", "stdout": "/t/stdout", "stderr": "/t/stderr",
        "cwd": "/t", "env": {"K": "V"}, "sys_path": ["/env/site-packages"]}
    <- {"ready": true, "pid": 4242}              (once, when the server is ready)
    <- {"id": 1, "pid": 4243, "process_start": 123456}   or   {"id": 1, "error": "..."}
    <- {"exit": 4243, "status": 0}               (later; status is -N when killed by signal N)

The server runs no threads (fork and threads do not mix): one selector loop watches stdin and a
self-pipe that SIGCHLD writes to, and ended children are reaped with ``waitpid(-1, WNOHANG)``.
When stdin closes (the orchestrator is gone) the server exits WITHOUT killing its children, so
tasks survive an orchestrator restart and can be adopted.

Only the standard library, ``brickyard.runtime`` and ``brickyard.task_protocol`` may be
imported here.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import io
import json
import os
import selectors
import signal
import site
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, cast

from brickyard.task_protocol import read_process_start

DEFAULT_TARGET = "brickyard.runtime.task_main:run_task"
"""``module:function`` run in each forked child with the runtime spec path; returns the code."""

# Imported once in the server so that forked tasks find them ready (what a task start needs).
PRELOAD_MODULES = (
    "json",
    "runpy",
    "pkgutil",
    "traceback",
    "linecache",
    "tokenize",
    "socket",
    "tempfile",
    "importlib.metadata",
    "importlib.util",
)

CHILD_SETUP_FAILED = 70
"""Exit code of a child that could not become its task (EX_SOFTWARE)."""

TaskTarget = Callable[[Path], int]


@dataclass(frozen=True)
class ForkRequest:
    """One task process to fork (a parsed request line)."""

    id: int
    spec: str
    stdout: str
    stderr: str
    cwd: str
    env: Mapping[str, str]
    sys_path: tuple[str, ...]


def parse_request(line: bytes) -> ForkRequest:
    """Parse one request line; raises ValueError naming the field that is wrong."""
    raw = json.loads(line)
    if not isinstance(raw, dict):
        raise ValueError("a request must be a JSON object")
    request_id = raw.get("id")
    if not isinstance(request_id, int):
        raise ValueError("request field 'id' must be an integer")
    strings = {}
    for name in ("spec", "stdout", "stderr", "cwd"):
        value = raw.get(name)
        if not isinstance(value, str) or not value:
            raise ValueError(f"request field {name!r} must be a non-empty string")
        strings[name] = value
    env = raw.get("env") or {}
    if not isinstance(env, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in env.items()
    ):
        raise ValueError("request field 'env' must map strings to strings")
    sys_path = raw.get("sys_path") or []
    if not isinstance(sys_path, list) or not all(isinstance(p, str) for p in sys_path):
        raise ValueError("request field 'sys_path' must be a list of strings")
    return ForkRequest(
        id=request_id,
        spec=strings["spec"],
        stdout=strings["stdout"],
        stderr=strings["stderr"],
        cwd=strings["cwd"],
        env=dict(env),
        sys_path=tuple(sys_path),
    )


def load_target(reference: str) -> TaskTarget:
    """Import ``module:function`` and return the function."""
    module_name, _, attribute = reference.partition(":")
    module = importlib.import_module(module_name)
    return cast(TaskTarget, getattr(module, attribute or "run_task"))


def _ignore_signal(signum: int, frame: FrameType | None) -> None:
    """A Python-level SIGCHLD handler, so that the wakeup fd is written (SIG_IGN would not)."""


def _line_buffered(fd: int, mode: str) -> io.TextIOWrapper:
    """A text stream on ``fd``; written streams pass each line through at once (live logs)."""
    raw = io.FileIO(fd, mode, closefd=False)
    if mode == "r":
        return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8", errors="replace")
    return io.TextIOWrapper(
        io.BufferedWriter(raw), encoding="utf-8", errors="backslashreplace", line_buffering=True
    )


def _prepend_sys_path(entries: Sequence[str]) -> None:
    """Put library environments first on ``sys.path``, honouring their ``.pth`` files."""
    if not entries:
        return
    before = list(sys.path)
    for entry in entries:
        site.addsitedir(entry)
    front = list(entries)
    front += [path for path in sys.path if path not in before and path not in front]
    sys.path[:] = front + [path for path in before if path not in front]
    importlib.invalidate_caches()


def _open_log(path: str) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)


class ForkServer:
    """The selector loop: reads fork requests, forks task children, reports their exits."""

    def __init__(self, target: TaskTarget, requests_fd: int = 0, replies_fd: int = 1) -> None:
        self._target = target
        self._requests_fd = requests_fd
        self._replies_fd = replies_fd
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self._selector = selectors.DefaultSelector()
        self._pending = b""

    def serve(self) -> None:
        """Serve until stdin closes or the orchestrator stops reading replies."""
        signal.signal(signal.SIGCHLD, _ignore_signal)
        signal.set_wakeup_fd(self._wake_write)
        self._selector.register(self._requests_fd, selectors.EVENT_READ, "requests")
        self._selector.register(self._wake_read, selectors.EVENT_READ, "children")
        try:
            self._send({"ready": True, "pid": os.getpid()})
            serving = True
            while serving:
                for key, _ in self._selector.select():
                    if key.data == "children":
                        self._drain_wakeups()
                        self._reap_children()
                    else:
                        serving = self._read_requests()
        except BrokenPipeError:
            pass  # the orchestrator is gone: nobody to report to; children keep running
        finally:
            signal.set_wakeup_fd(-1)
            self._selector.close()

    def _drain_wakeups(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._wake_read, 4096):
                pass

    def _reap_children(self) -> None:
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self._send({"exit": pid, "status": os.waitstatus_to_exitcode(wait_status)})

    def _read_requests(self) -> bool:
        data = os.read(self._requests_fd, 65536)
        if not data:
            return False
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            if line.strip():
                self._handle(line)
        return True

    def _handle(self, line: bytes) -> None:
        try:
            request = parse_request(line)
        except ValueError as exc:
            request_id: Any = None
            with contextlib.suppress(ValueError, AttributeError):
                request_id = json.loads(line).get("id")
            self._send({"id": request_id, "error": f"invalid request: {exc}"})
            return
        try:
            pid = self._fork(request)
        except OSError as exc:
            self._send({"id": request.id, "error": f"cannot start the task process: {exc}"})
            return
        self._send({"id": request.id, "pid": pid, "process_start": read_process_start(pid)})

    def _fork(self, request: ForkRequest) -> int:
        # Open the logs and check the folder here, so that a bad path is an error reply rather
        # than a child that dies before it can say why.
        if not Path(request.cwd).is_dir():
            raise NotADirectoryError(f"working directory {request.cwd} does not exist")
        stdout_fd = _open_log(request.stdout)
        try:
            stderr_fd = stdout_fd if request.stderr == request.stdout else _open_log(request.stderr)
        except OSError:
            os.close(stdout_fd)
            raise
        try:
            pid = os.fork()
            if pid == 0:
                status = CHILD_SETUP_FAILED
                try:
                    status = self._become_task(request, stdout_fd, stderr_fd)
                except SystemExit as exc:
                    status = exc.code if isinstance(exc.code, int) else 1
                except BaseException:
                    with contextlib.suppress(BaseException):
                        traceback.print_exc()
                finally:
                    # Never return into the server loop from a child, whatever happened.
                    os._exit(status)
            return pid
        finally:
            os.close(stdout_fd)
            if stderr_fd != stdout_fd:
                os.close(stderr_fd)

    def _become_task(self, request: ForkRequest, stdout_fd: int, stderr_fd: int) -> int:
        """In the child: detach, redirect, set up the process like a fresh interpreter, run."""
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self._selector.close()
        os.close(self._wake_read)
        os.close(self._wake_write)

        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.dup2(stdout_fd, 1)
        os.dup2(stderr_fd, 2)
        sys.stdin = _line_buffered(0, "r")
        sys.stdout = _line_buffered(1, "w")
        sys.stderr = _line_buffered(2, "w")

        os.chdir(request.cwd)
        os.environ.update(request.env)
        _prepend_sys_path(request.sys_path)
        try:
            return self._target(Path(request.spec))
        finally:
            _finish_interpreter()

    def _send(self, message: Mapping[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            written = os.write(self._replies_fd, data)
            data = data[written:]


def _finish_interpreter() -> None:
    """What a normal interpreter exit does before ``os._exit``: shut threading down (its own
    exit hooks first, then a join of the non-daemon threads), run atexit handlers, flush the
    streams.

    ``threading._shutdown`` is what the interpreter itself calls: it runs the hooks registered
    with ``threading._register_atexit`` before it joins, and concurrent.futures' pools (Spark
    Connect's client keeps one) only let their workers go in such a hook. Joining those workers
    directly waited forever.
    """
    with contextlib.suppress(BaseException):
        threading._shutdown()  # type: ignore[attr-defined]
    with contextlib.suppress(BaseException):
        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m brickyard.runtime.forkserver [--target module:function]``."""
    parser = argparse.ArgumentParser(prog="python -m brickyard.runtime.forkserver")
    parser.add_argument("--target", default=DEFAULT_TARGET, help="module:function to run")
    args = parser.parse_args(argv)
    for module in PRELOAD_MODULES:
        importlib.import_module(module)
    target = load_target(args.target)
    # Everything imported so far is shared with every child. Freezing it keeps the children's
    # garbage collector from walking (and so copying on write) those pages: measured here, it
    # cuts a no-op task's fork-to-exit time by about a third.
    gc.collect()
    gc.freeze()
    ForkServer(target).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
