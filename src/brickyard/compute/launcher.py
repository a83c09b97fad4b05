"""The local launcher: starts task processes on this machine and reports when they end.

Runtime processes are forked from the pre-warmed fork server when the settings allow it (a few
milliseconds instead of an interpreter start); everything else is exec'd. Every task process
gets its own session (process group), so that a timeout or a cancellation can kill the task
together with whatever it started. Task processes deliberately outlive the launcher: after an
orchestrator restart they are found again and watched with :meth:`LocalLauncher.adopt`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable

from brickyard.compute.forkserver_client import (
    ForkServerClient,
    ForkServerUnavailableError,
    server_environment,
)
from brickyard.compute.process import (
    LaunchedProcess,
    ProcessEvent,
    ProcessExit,
    ProcessSpec,
    ProcessStarted,
    ProcessStartFailed,
)
from brickyard.compute.procfs import is_process_alive, read_process_start
from brickyard.errors import TaskLaunchError
from brickyard.settings import Settings

logger = logging.getLogger(__name__)

RUNTIME_MODULE = "brickyard.runtime"
FORK_SERVER_READY_SECONDS = 30.0
"""How long a launch waits for a starting fork server before falling back to exec."""


class LocalLauncher:
    """Starts task processes locally; reports their exits (and the outcome of :meth:`start`)
    through ``on_exit`` (from background threads)."""

    def __init__(
        self,
        settings: Settings,
        on_exit: Callable[[ProcessEvent], None],
        *,
        adopt_poll_seconds: float = 0.5,
        fork_server_target: str | None = None,
    ) -> None:
        """``fork_server_target`` (``module:function``) replaces the task runtime in forked
        children; tests use it to fork something trivial."""
        self._settings = settings
        self._on_exit = on_exit
        self._adopt_poll_seconds = adopt_poll_seconds
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._adopted: dict[int, int | None] = {}
        self._adopt_thread: threading.Thread | None = None
        self._fork_server: ForkServerClient | None = None
        if settings.use_fork_server:
            try:
                self._fork_server = ForkServerClient(
                    settings.python_executable,
                    on_exit=self._report,
                    on_lost=self._adopt_all,
                    env=server_environment(),
                    target=fork_server_target,
                )
            except OSError as exc:
                logger.warning(
                    "cannot start the fork server, task processes will be exec'd: %s", exc
                )

    @property
    def fork_server_pid(self) -> int | None:
        """The fork server's pid, or None when there is none."""
        return self._fork_server.pid if self._fork_server is not None else None

    def launch(self, spec: ProcessSpec) -> LaunchedProcess:
        """Start ``spec`` in a new session. Raises :class:`TaskLaunchError` if it cannot start."""
        self._check(spec)
        if self._can_fork(spec):
            launched = self._fork(spec)
            if launched is not None:
                return launched
        return self._exec(spec)

    def start(self, spec: ProcessSpec, token: int) -> None:
        """Start ``spec`` without waiting: ``ProcessStarted(token, ...)`` or
        ``ProcessStartFailed(token, ...)`` is reported through ``on_exit``, always before the
        process's own exit. Raises :class:`TaskLaunchError` for a spec that cannot start."""
        self._check(spec)
        if self._can_fork(spec):
            assert self._fork_server is not None and spec.runtime_spec is not None
            env = dict(spec.env)
            env["PYTHONUNBUFFERED"] = "1"
            try:
                self._fork_server.fork_async(
                    spec=spec.runtime_spec.resolve(),
                    stdout=spec.stdout_path.resolve(),
                    stderr=spec.stderr_path.resolve(),
                    cwd=spec.cwd.resolve(),
                    env=env,
                    sys_path=spec.sys_path,
                    on_reply=lambda reply: self._forked(spec, token, reply),
                )
                return
            except ForkServerUnavailableError as exc:
                logger.info("%s; starting the task process with exec instead", exc)
        self._exec_reporting(spec, token)

    def _check(self, spec: ProcessSpec) -> None:
        if self._closed.is_set():
            raise TaskLaunchError("the launcher is closed", termination_code="INTERNAL_ERROR")
        if spec.runtime_spec is None and not spec.argv:
            raise TaskLaunchError(
                "a process needs either a runtime spec or an argv",
                termination_code="INVALID_RUN_CONFIGURATION",
            )
        for folder in {spec.stdout_path.parent, spec.stderr_path.parent}:
            if not folder.is_dir():  # a stat is far cheaper than mkdir(exist_ok=True)
                folder.mkdir(parents=True)

    def _forked(self, spec: ProcessSpec, token: int, reply: object) -> None:
        if not isinstance(reply, dict):  # the server went away before answering
            self._exec_reporting(spec, token)
        elif "error" in reply:
            self._report(
                ProcessStartFailed(token, f"cannot start the task process: {reply['error']}")
            )
        else:
            process = LaunchedProcess(
                pid=int(reply["pid"]), process_start=reply.get("process_start")
            )
            self._report(ProcessStarted(token, process))

    def _exec_reporting(self, spec: ProcessSpec, token: int) -> None:
        try:
            self._exec(spec, on_started=lambda p: self._report(ProcessStarted(token, p)))
        except TaskLaunchError as exc:
            self._report(ProcessStartFailed(token, str(exc)))

    def terminate_group(self, pid: int, grace_seconds: float = 5.0) -> None:
        """SIGTERM the process group led by ``pid``, then SIGKILL it if anything is left after
        ``grace_seconds``. Returns at once; the wait happens in a background thread."""
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        except PermissionError:
            logger.warning("not allowed to signal process group %s", pid)
            return
        threading.Thread(
            target=_kill_group_after,
            args=(pid, grace_seconds),
            name=f"brickyard-kill-{pid}",
            daemon=True,
        ).start()

    def adopt(self, pid: int, process_start: int | None) -> None:
        """Watch a process that is not our child (found after a restart): report
        ``ProcessExit(pid, None)`` once it is gone (or its pid belongs to another process)."""
        with self._lock:
            self._adopted[pid] = process_start
            if self._adopt_thread is None and not self._closed.is_set():
                self._adopt_thread = threading.Thread(
                    target=self._poll_adopted, name="brickyard-adopt", daemon=True
                )
                self._adopt_thread.start()

    @staticmethod
    def is_alive(pid: int, process_start: int | None) -> bool:
        """Whether the process ``pid`` that started at ``process_start`` still runs."""
        return is_process_alive(pid, process_start)

    def close(self) -> None:
        """Stop the fork server and the watcher threads WITHOUT killing task processes; no exit
        is reported after this."""
        self._closed.set()
        if self._fork_server is not None:
            self._fork_server.close()
        with self._lock:
            adopt_thread = self._adopt_thread
        if adopt_thread is not None:
            adopt_thread.join(self._adopt_poll_seconds + 5.0)

    def _can_fork(self, spec: ProcessSpec) -> bool:
        # A spec with sys_path runs in a library environment that EnvironmentCache layered on
        # the brickyard interpreter, so the fork server plus that sys_path is the same thing.
        same_interpreter = spec.python in (None, self._settings.python_executable)
        return (
            self._fork_server is not None
            and spec.runtime_spec is not None
            and (same_interpreter or bool(spec.sys_path))
        )

    def _fork(self, spec: ProcessSpec) -> LaunchedProcess | None:
        assert self._fork_server is not None and spec.runtime_spec is not None
        env = dict(spec.env)
        env["PYTHONUNBUFFERED"] = "1"
        try:
            return self._fork_server.fork(
                spec=spec.runtime_spec.resolve(),
                stdout=spec.stdout_path.resolve(),
                stderr=spec.stderr_path.resolve(),
                cwd=spec.cwd.resolve(),
                env=env,
                sys_path=spec.sys_path,
                timeout=FORK_SERVER_READY_SECONDS,
            )
        except ForkServerUnavailableError as exc:
            logger.warning("%s; starting the task process with exec instead", exc)
            return None
        except OSError as exc:
            raise TaskLaunchError(f"cannot start the task process: {exc}") from exc

    def _exec(
        self,
        spec: ProcessSpec,
        on_started: Callable[[LaunchedProcess], None] | None = None,
    ) -> LaunchedProcess:
        if spec.runtime_spec is not None:
            python = spec.python or self._settings.python_executable
            argv = [python, "-m", RUNTIME_MODULE, str(spec.runtime_spec)]
        else:
            argv = list(spec.argv)
        env = server_environment()
        env.update(spec.env)
        env["PYTHONUNBUFFERED"] = "1"
        try:
            with contextlib.ExitStack() as files:
                stdout = files.enter_context(spec.stdout_path.open("ab"))
                stderr = (
                    stdout
                    if spec.stderr_path == spec.stdout_path
                    else files.enter_context(spec.stderr_path.open("ab"))
                )
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=stdout,
                    stderr=stderr,
                    cwd=spec.cwd,
                    env=env,
                    start_new_session=True,
                )
        except OSError as exc:
            raise TaskLaunchError(
                f"cannot start the task process {argv[0]} in {spec.cwd}: {exc.strerror or exc}"
            ) from exc
        launched = LaunchedProcess(pid=process.pid, process_start=read_process_start(process.pid))
        if on_started is not None:
            on_started(launched)  # before the waiter can report the exit
        threading.Thread(
            target=self._wait_for,
            args=(process,),
            name=f"brickyard-wait-{process.pid}",
            daemon=True,
        ).start()
        return launched

    def _wait_for(self, process: subprocess.Popen[bytes]) -> None:
        status = process.wait()
        self._report(ProcessExit(pid=process.pid, status=status))

    def _report(self, event: ProcessEvent) -> None:
        if self._closed.is_set():
            return
        try:
            self._on_exit(event)
        except Exception:
            logger.exception("the process event callback failed for %s", event)

    def _adopt_all(self, processes: list[LaunchedProcess]) -> None:
        for process in processes:
            self.adopt(process.pid, process.process_start)

    def _poll_adopted(self) -> None:
        while not self._closed.wait(self._adopt_poll_seconds):
            with self._lock:
                watched = list(self._adopted.items())
            gone = [pid for pid, start in watched if not is_process_alive(pid, start)]
            with self._lock:
                for pid in gone:
                    self._adopted.pop(pid, None)
            for pid in gone:
                self._report(ProcessExit(pid=pid, status=None))


def _kill_group_after(pgid: int, grace_seconds: float, poll_seconds: float = 0.05) -> None:
    """SIGKILL the group ``pgid`` unless it is gone within ``grace_seconds``."""
    deadline = time.monotonic() + grace_seconds
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(min(poll_seconds, remaining))
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
