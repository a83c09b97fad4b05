"""LocalLauncher with real processes: fork-server and exec paths, signals, adoption, close."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.launcher import LocalLauncher
from brickyard.compute.process import ProcessSpec
from brickyard.compute.procfs import is_process_alive, read_process_start
from brickyard.errors import TaskLaunchError
from brickyard.settings import Settings

LauncherFactory = Callable[..., LocalLauncher]


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def make_launcher(settings: Settings, exits: Any, fake_runtime: str) -> Iterator[LauncherFactory]:
    launchers: list[LocalLauncher] = []

    def make(*, fork: bool = True, python: str | None = None, **kwargs: Any) -> LocalLauncher:
        kwargs.setdefault("fork_server_target", fake_runtime)
        chosen = replace(settings, use_fork_server=fork)
        if python is not None:
            chosen = replace(chosen, python_executable=python)
        launcher = LocalLauncher(chosen, exits, **kwargs)
        launchers.append(launcher)
        return launcher

    yield make
    for launcher in launchers:
        launcher.close()


@pytest.fixture
def reaper() -> Iterator[list[int]]:
    """Pids (process groups) that a test leaves running on purpose; killed at the end."""
    groups: list[int] = []
    yield groups
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


EXIT_3 = """
import os, sys
print("out line")
print("err line", file=sys.stderr)
print("cwd", os.getcwd())
print("env", os.environ.get("TASK_VAR"), os.environ.get("PYTHONUNBUFFERED"))
print("argv", sys.argv[1:])
sys.exit(3)
"""


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_exit_status_logs_env_and_cwd(
    make_launcher: LauncherFactory, exits: Any, tasks: Any, fork: bool
) -> None:
    launcher = make_launcher(fork=fork)
    spec = tasks.runtime("t", EXIT_3, argv=["--date", "2026-11-21"])
    spec = replace(spec, env={"TASK_VAR": "hello"})
    if not fork:
        spec = replace(spec, runtime_spec=None, argv=(sys.executable, str(spec.cwd / "script.py")))
        spec = replace(spec, argv=(*spec.argv, "--date", "2026-11-21"))
    spec.stdout_path.write_text("earlier attempt\n")

    launched = launcher.launch(spec)

    assert exits.wait_for(launched.pid).status == 3
    stdout = spec.stdout_path.read_text()
    assert stdout.startswith("earlier attempt\nout line\n")  # appended, not truncated
    assert f"cwd {spec.cwd}" in stdout
    assert "env hello 1" in stdout
    assert "argv ['--date', '2026-11-21']" in stdout
    assert spec.stderr_path.read_text() == "err line\n"
    assert launched.process_start is not None


def test_forked_process_is_a_child_of_the_fork_server(
    make_launcher: LauncherFactory, exits: Any, tasks: Any
) -> None:
    launcher = make_launcher(fork=True)
    spec = tasks.runtime("t", "import os; print(os.getppid(), os.getsid(0), os.getpid())")
    launched = launcher.launch(spec)
    assert exits.wait_for(launched.pid).status == 0
    parent, session, pid = map(int, spec.stdout_path.read_text().split())
    assert parent == launcher.fork_server_pid
    assert session == pid == launched.pid  # its own session: a group to kill


def test_forked_process_gets_sys_path_first(
    make_launcher: LauncherFactory, exits: Any, tasks: Any, tmp_path: Path
) -> None:
    library = tmp_path / "site"
    library.mkdir()
    (library / "tasklib_xyz.py").write_text("VALUE = 'from the library env'\n")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "extra_mod_xyz.py").write_text("VALUE = 'via pth'\n")
    (library / "extra.pth").write_text(f"{extra}\n")
    launcher = make_launcher(fork=True)
    code = """
    import sys, tasklib_xyz, extra_mod_xyz
    print(tasklib_xyz.VALUE, extra_mod_xyz.VALUE, sys.path.index(SITE))
    """.replace("SITE", repr(str(library)))
    spec = replace(tasks.runtime("t", code), sys_path=(str(library),))
    launched = launcher.launch(spec)
    assert exits.wait_for(launched.pid).status == 0, spec.stderr_path.read_text()
    assert spec.stdout_path.read_text() == "from the library env via pth 0\n"


def test_fork_uses_one_log_file_for_both_streams(
    make_launcher: LauncherFactory, exits: Any, tasks: Any
) -> None:
    launcher = make_launcher(fork=True)
    spec = tasks.runtime("t", "import sys\nprint('a')\nprint('b', file=sys.stderr)\nprint('c')\n")
    spec = replace(spec, stderr_path=spec.stdout_path)
    launched = launcher.launch(spec)
    assert exits.wait_for(launched.pid).status == 0
    assert spec.stdout_path.read_text() == "a\nb\nc\n"


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_killed_by_signal_reports_minus_signal(
    make_launcher: LauncherFactory, exits: Any, tasks: Any, fork: bool
) -> None:
    launcher = make_launcher(fork=fork)
    code = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
    spec = tasks.runtime("t", code) if fork else tasks.exec("t", code)
    launched = launcher.launch(spec)
    assert exits.wait_for(launched.pid).status == -signal.SIGKILL


SPAWNS_A_CHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open("child.pid", "w").write(str(child.pid))
time.sleep(60)
"""


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_terminate_group_kills_the_task_and_its_children(
    make_launcher: LauncherFactory, exits: Any, tasks: Any, fork: bool
) -> None:
    launcher = make_launcher(fork=fork)
    spec = tasks.runtime("t", SPAWNS_A_CHILD) if fork else tasks.exec("t", SPAWNS_A_CHILD)
    launched = launcher.launch(spec)
    child_pid_file = spec.cwd / "child.pid"
    assert wait_until(lambda: child_pid_file.exists() and child_pid_file.read_text() != "")
    child_pid = int(child_pid_file.read_text())
    child_start = read_process_start(child_pid)
    assert is_process_alive(child_pid, child_start)

    started = time.monotonic()
    launcher.terminate_group(launched.pid, grace_seconds=5.0)
    assert time.monotonic() - started < 1.0  # the caller does not wait for the grace period

    assert exits.wait_for(launched.pid).status == -signal.SIGTERM
    assert wait_until(lambda: not is_process_alive(child_pid, child_start))


def test_terminate_group_escalates_to_sigkill(
    make_launcher: LauncherFactory, exits: Any, tasks: Any
) -> None:
    launcher = make_launcher(fork=True)
    code = """
    import signal, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    open("ready", "w").close()
    time.sleep(60)
    """
    spec = tasks.runtime("t", code)
    launched = launcher.launch(spec)
    assert wait_until((spec.cwd / "ready").exists)
    started = time.monotonic()
    launcher.terminate_group(launched.pid, grace_seconds=0.5)
    assert exits.wait_for(launched.pid).status == -signal.SIGKILL
    assert time.monotonic() - started >= 0.5


def test_terminate_group_of_a_gone_process_is_quiet(make_launcher: LauncherFactory) -> None:
    launcher = make_launcher(fork=False)
    process = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    process.wait()
    launcher.terminate_group(process.pid, grace_seconds=0.1)


def test_adopt_reports_exit_of_a_foreign_process(
    make_launcher: LauncherFactory, exits: Any
) -> None:
    launcher = make_launcher(fork=False, adopt_poll_seconds=0.05)
    process = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )
    try:
        start = read_process_start(process.pid)
        launcher.adopt(process.pid, start)
        time.sleep(0.2)
        assert exits.exits == []  # still running: nothing reported
        process.kill()
        assert exits.wait_for(process.pid).status is None
    finally:
        process.kill()
        process.wait()


def test_adopt_of_a_reused_pid_reports_it_gone(make_launcher: LauncherFactory, exits: Any) -> None:
    launcher = make_launcher(fork=False, adopt_poll_seconds=0.05)
    # Our own pid with another start time: the process we knew is gone, the pid was reused.
    own_start = read_process_start(os.getpid())
    assert own_start is not None
    launcher.adopt(os.getpid(), own_start + 1)
    assert exits.wait_for(os.getpid()).status is None


def test_is_alive_checks_the_start_time() -> None:
    own_start = read_process_start(os.getpid())
    assert LocalLauncher.is_alive(os.getpid(), own_start)
    assert LocalLauncher.is_alive(os.getpid(), None)
    assert not LocalLauncher.is_alive(os.getpid(), (own_start or 0) + 1)
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    start = read_process_start(process.pid)
    process.wait()
    assert not LocalLauncher.is_alive(process.pid, start)


def test_is_alive_treats_a_zombie_as_gone() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    start = read_process_start(process.pid)
    try:
        assert wait_until(lambda: not LocalLauncher.is_alive(process.pid, start))
        assert Path(f"/proc/{process.pid}").exists()  # not reaped yet: a zombie
    finally:
        process.wait()


SLOW_TASK = """
import time
time.sleep(0.8)
open("finished", "w").write("yes")
"""


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_tasks_survive_close(
    make_launcher: LauncherFactory, exits: Any, tasks: Any, reaper: list[int], fork: bool
) -> None:
    launcher = make_launcher(fork=fork)
    spec = tasks.runtime("t", SLOW_TASK) if fork else tasks.exec("t", SLOW_TASK)
    launched = launcher.launch(spec)
    reaper.append(launched.pid)
    server_pid = launcher.fork_server_pid
    launcher.close()

    if server_pid is not None:
        assert wait_until(lambda: not is_process_alive(server_pid, None))
    assert is_process_alive(launched.pid, launched.process_start)
    assert wait_until((spec.cwd / "finished").exists)
    time.sleep(0.2)
    assert exits.exits == []  # a closed launcher reports nothing


def test_launch_after_close_fails(make_launcher: LauncherFactory, tasks: Any) -> None:
    launcher = make_launcher(fork=False)
    launcher.close()
    with pytest.raises(TaskLaunchError, match="closed"):
        launcher.launch(tasks.exec("t", "pass"))


def test_fork_server_death_hands_running_tasks_to_adoption(
    make_launcher: LauncherFactory, exits: Any, tasks: Any
) -> None:
    launcher = make_launcher(fork=True, adopt_poll_seconds=0.05)
    spec = tasks.runtime("t", "import time\nopen('ready', 'w').close()\ntime.sleep(0.8)\n")
    launched = launcher.launch(spec)
    assert wait_until((spec.cwd / "ready").exists)
    server_pid = launcher.fork_server_pid
    assert server_pid is not None
    os.kill(server_pid, signal.SIGKILL)

    assert exits.wait_for(launched.pid).status is None  # watched by polling now


def test_fork_server_that_cannot_start_falls_back_to_exec(
    make_launcher: LauncherFactory, exits: Any, tasks: Any, tmp_path: Path
) -> None:
    # A stand-in interpreter that only records how it was called: as the fork server it exits
    # at once (so the server never gets ready), as the exec path it proves which path ran.
    calls = tmp_path / "calls"
    shim = tmp_path / "python-shim"
    shim.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    shim.chmod(0o755)
    launcher = make_launcher(fork=True, python=str(shim))
    spec = tasks.runtime("t", "pass")
    launched = launcher.launch(spec)
    assert exits.wait_for(launched.pid).status == 0
    lines = calls.read_text().splitlines()
    assert lines[0].startswith("-m brickyard.runtime.forkserver")
    assert lines[-1] == f"-m brickyard.runtime {spec.runtime_spec}"


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_missing_working_directory_is_a_launch_error(
    make_launcher: LauncherFactory, tasks: Any, tmp_path: Path, fork: bool
) -> None:
    launcher = make_launcher(fork=fork)
    spec = tasks.runtime("t", "pass") if fork else tasks.exec("t", "pass")
    spec = replace(spec, cwd=tmp_path / "missing")
    with pytest.raises(TaskLaunchError, match="missing"):
        launcher.launch(spec)


def test_a_spec_without_anything_to_run_is_rejected(
    make_launcher: LauncherFactory, tmp_path: Path
) -> None:
    launcher = make_launcher(fork=False)
    spec = ProcessSpec(stdout_path=tmp_path / "o", stderr_path=tmp_path / "e", cwd=tmp_path)
    with pytest.raises(TaskLaunchError, match="runtime spec or an argv"):
        launcher.launch(spec)


def test_many_forks_in_parallel(make_launcher: LauncherFactory, exits: Any, tasks: Any) -> None:
    launcher = make_launcher(fork=True)
    launched = [
        launcher.launch(tasks.runtime(f"t{i}", f"import sys\nsys.exit({i})\n")) for i in range(20)
    ]
    assert [exits.wait_for(p.pid).status for p in launched] == list(range(20))


def test_forked_task_waits_for_its_threads_and_runs_atexit(
    make_launcher: LauncherFactory, exits: Any, tasks: Any
) -> None:
    launcher = make_launcher(fork=True)
    code = """
    import atexit, threading, time
    atexit.register(lambda: print("atexit ran"))
    def work():
        time.sleep(0.2)
        print("thread finished")
    threading.Thread(target=work).start()
    print("main done")
    """
    spec = tasks.runtime("t", code)
    launched = launcher.launch(spec)
    assert exits.wait_for(launched.pid).status == 0
    assert spec.stdout_path.read_text() == "main done\nthread finished\natexit ran\n"
