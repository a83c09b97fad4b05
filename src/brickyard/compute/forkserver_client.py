"""The orchestrator's side of the fork server (:mod:`brickyard.runtime.forkserver`).

One reader thread reads the server's replies: fork replies complete the waiting ``fork`` call,
exit messages go to ``on_exit``. If the server dies while tasks run, the tasks themselves keep
running; their pids go to ``on_lost`` so that someone else can watch them.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from brickyard.compute.process import LaunchedProcess, ProcessExit

logger = logging.getLogger(__name__)

SERVER_MODULE = "brickyard.runtime.forkserver"


class ForkServerUnavailableError(RuntimeError):
    """The fork server is not running (failed to start, died, or was closed)."""


@dataclass
class _PendingFork:
    done: threading.Event
    reply: Mapping[str, Any] | None = None
    on_reply: Callable[[Mapping[str, Any] | None], None] | None = None
    """Set for asynchronous forks: called (from the reader thread) instead of ``done``."""


class ForkServerClient:
    """Starts the fork server and asks it for task processes."""

    def __init__(
        self,
        python: str,
        on_exit: Callable[[ProcessExit], None],
        on_lost: Callable[[list[LaunchedProcess]], None],
        *,
        env: Mapping[str, str] | None = None,
        target: str | None = None,
    ) -> None:
        argv = [python, "-m", SERVER_MODULE]
        if target is not None:
            argv += ["--target", target]
        self._on_exit = on_exit
        self._on_lost = on_lost
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._pending: dict[int, _PendingFork] = {}
        self._running: dict[int, LaunchedProcess] = {}
        self._discarded: set[int] = set()
        self._ready = threading.Event()
        self._alive = True
        self._closing = False
        # Its own session: a Ctrl-C meant for the orchestrator must not reach the server.
        self._process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=None if env is None else dict(env),
            start_new_session=True,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests: IO[bytes] = self._process.stdin
        self._replies: IO[bytes] = self._process.stdout
        self._reader = threading.Thread(
            target=self._read_replies, name="brickyard-forkserver-reader", daemon=True
        )
        self._reader.start()

    @property
    def pid(self) -> int:
        """The server's own pid."""
        return self._process.pid

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the server has imported the runtime; False if it failed or is too slow."""
        return self._ready.wait(timeout) and self._alive

    def fork(
        self,
        *,
        spec: Path,
        stdout: Path,
        stderr: Path,
        cwd: Path,
        env: Mapping[str, str],
        sys_path: Sequence[str],
        timeout: float = 30.0,
    ) -> LaunchedProcess:
        """Fork one task process. Raises :class:`ForkServerUnavailableError` when the server is
        not there, or OSError with the server's message when the fork itself failed."""
        if not self.wait_ready(timeout):
            raise ForkServerUnavailableError("the fork server is not running")
        pending = _PendingFork(done=threading.Event())
        request_id = self._send(pending, spec, stdout, stderr, cwd, env, sys_path)
        if not pending.done.wait(timeout):
            with self._lock:
                self._pending.pop(request_id, None)
            raise ForkServerUnavailableError("the fork server did not answer in time")
        reply = pending.reply
        if reply is None:
            raise ForkServerUnavailableError("the fork server stopped before answering")
        if "error" in reply:
            raise OSError(str(reply["error"]))
        return LaunchedProcess(pid=int(reply["pid"]), process_start=reply.get("process_start"))

    def fork_async(
        self,
        *,
        spec: Path,
        stdout: Path,
        stderr: Path,
        cwd: Path,
        env: Mapping[str, str],
        sys_path: Sequence[str],
        on_reply: Callable[[Mapping[str, Any] | None], None],
    ) -> None:
        """Ask for a fork without waiting: ``on_reply`` gets the server's reply (``pid`` or
        ``error``), or None when the server went away first. Replies come before the exits of
        the same processes, in the order the server sent them. Raises
        :class:`ForkServerUnavailableError` when the server is not there."""
        if not self._ready.is_set():
            raise ForkServerUnavailableError("the fork server is not ready")
        pending = _PendingFork(done=threading.Event(), on_reply=on_reply)
        self._send(pending, spec, stdout, stderr, cwd, env, sys_path)

    def _send(
        self,
        pending: _PendingFork,
        spec: Path,
        stdout: Path,
        stderr: Path,
        cwd: Path,
        env: Mapping[str, str],
        sys_path: Sequence[str],
    ) -> int:
        with self._lock:
            if not self._alive:
                raise ForkServerUnavailableError("the fork server is not running")
            request_id = next(self._ids)
            self._pending[request_id] = pending
            request = {
                "id": request_id,
                "spec": str(spec),
                "stdout": str(stdout),
                "stderr": str(stderr),
                "cwd": str(cwd),
                "env": dict(env),
                "sys_path": list(sys_path),
            }
            try:
                self._requests.write((json.dumps(request) + "\n").encode())
                self._requests.flush()
            except (BrokenPipeError, ValueError, OSError) as exc:
                self._pending.pop(request_id, None)
                raise ForkServerUnavailableError(f"the fork server is gone: {exc}") from exc
        return request_id

    def close(self, timeout: float = 5.0) -> None:
        """Stop the server (it exits when its stdin closes) without touching its children."""
        with self._lock:
            self._closing = True
            with contextlib.suppress(OSError, ValueError):
                self._requests.close()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout)
        with contextlib.suppress(OSError, ValueError):
            self._replies.close()

    def _read_replies(self) -> None:
        try:
            for line in self._replies:
                self._dispatch(json.loads(line))
        except (OSError, ValueError) as exc:
            logger.warning("reading the fork server's replies failed: %s", exc)
        finally:
            self._server_gone()

    def _dispatch(self, message: Mapping[str, Any]) -> None:
        if message.get("ready"):
            self._ready.set()
            return
        if "exit" in message:
            pid = int(message["exit"])
            with self._lock:
                self._running.pop(pid, None)
                discarded = pid in self._discarded
                self._discarded.discard(pid)
                closing = self._closing
            if not closing and not discarded:
                try:
                    self._on_exit(ProcessExit(pid=pid, status=message.get("status")))
                except Exception:
                    logger.exception("the exit callback failed for pid %s", pid)
            return
        with self._lock:
            pending = self._pending.pop(int(message.get("id") or 0), None)
            if pending is not None and "pid" in message:
                pid = int(message["pid"])
                self._running[pid] = LaunchedProcess(pid, message.get("process_start"))
        if pending is not None:
            pending.reply = message
            if pending.on_reply is not None:
                _call(pending.on_reply, message)
            pending.done.set()
        elif "pid" in message:
            # The caller gave up waiting and started the task another way: this late copy
            # belongs to nobody and must not run the task a second time.
            late = int(message["pid"])
            with self._lock:
                self._discarded.add(late)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(late, signal.SIGKILL)

    def _server_gone(self) -> None:
        with self._lock:
            self._alive = False
            pending, self._pending = list(self._pending.values()), {}
            orphans, self._running = list(self._running.values()), {}
            closing = self._closing
        self._ready.set()  # wake waiters: wait_ready() now answers False
        for waiting in pending:
            if waiting.on_reply is not None:
                _call(waiting.on_reply, None)
            waiting.done.set()
        if not closing:
            code = self._process.poll()
            logger.warning("the fork server (pid %s) stopped (exit %s)", self.pid, code)
            if orphans:
                try:
                    self._on_lost(orphans)
                except Exception:
                    logger.exception("handing over the fork server's orphans failed")


def _call(
    callback: Callable[[Mapping[str, Any] | None], None], reply: Mapping[str, Any] | None
) -> None:
    try:
        callback(reply)
    except Exception:
        logger.exception("a fork reply callback failed")


def server_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The fork server's environment: the orchestrator's, with unbuffered Python output."""
    env = dict(os.environ if base is None else base)
    env["PYTHONUNBUFFERED"] = "1"
    return env
