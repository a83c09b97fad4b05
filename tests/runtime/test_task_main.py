"""run_task through real task processes (``python -m brickyard.runtime SPEC``)."""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

import pytest

from brickyard import secret_store
from brickyard.runtime.task_main import run_task


def _wait_for(predicate: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_python_file_success_sets_argv_cwd_env_sys_path(task_env: object, tmp_path: Path) -> None:
    extra = tmp_path / "libs"
    extra.mkdir()
    (extra / "helper_mod.py").write_text("VALUE = 'from-lib'\n")
    workdir = tmp_path / "work"
    workdir.mkdir()
    run = task_env.run_script(  # type: ignore[attr-defined]
        "import os, sys, helper_mod\n"
        "print('argv', sys.argv[1:])\n"
        "print('cwd', os.getcwd())\n"
        "print('env', os.environ['MY_VAR'])\n"
        "print('lib', helper_mod.VALUE)\n"
        "print('name', __name__)\n"
        "dbutils.jobs.taskValues.set('rows', 3)\n",
        argv=["--date", "2026-11-21"],
        cwd=str(workdir),
        env={"MY_VAR": "hello"},
        sys_path=[str(extra)],
    )
    assert run.returncode == 0
    assert run.result["status"] == "SUCCESS"
    assert run.result["task_values"] == {"rows": 3}
    assert run.result["error"] is None and run.result["termination_code"] is None
    assert "argv ['--date', '2026-11-21']" in run.stdout
    assert f"cwd {workdir}" in run.stdout
    assert "env hello" in run.stdout
    assert "lib from-lib" in run.stdout
    assert "name __main__" in run.stdout


def test_pid_file_names_the_task_process(task_env: object) -> None:
    run = task_env.run_script("import os\nprint(os.getpid())\n")  # type: ignore[attr-defined]
    pid = run.pid
    assert pid["pid"] == int(run.stdout.strip())
    if Path("/proc").exists():
        assert isinstance(pid["process_start"], int)


def test_exception_fails_with_user_traceback_only(task_env: object) -> None:
    run = task_env.run_script(  # type: ignore[attr-defined]
        "def work():\n    raise ValueError('boom')\n\nwork()\n"
    )
    assert run.returncode == 1
    result = run.result
    assert result["status"] == "FAILED"
    assert result["error"] == "ValueError: boom"
    assert result["error_code"] == "RunExecutionError"
    assert result["termination_code"] == "RUN_EXECUTION_ERROR"
    trace = result["error_trace"]
    assert trace.startswith("Traceback (most recent call last):")
    assert "in work" in trace and trace.endswith("ValueError: boom")
    assert "brickyard/runtime/" not in trace and "runpy" not in trace  # no runtime frames
    assert "ValueError: boom" in run.stderr


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("sys.exit(0)", "SUCCESS", None),
        ("sys.exit()", "SUCCESS", None),
        ("sys.exit(3)", "FAILED", "exited with code 3"),
        ("sys.exit('bad input')", "FAILED", "exited with code 1: bad input"),
    ],
)
def test_system_exit(task_env: object, code: str, status: str, error: str | None) -> None:
    run = task_env.run_script(f"import sys\n{code}\nprint('not reached')\n")  # type: ignore[attr-defined]
    assert run.result["status"] == status
    assert run.result["error"] == error
    assert "not reached" not in run.stdout


def test_notebook_exit_from_a_script(task_env: object) -> None:
    run = task_env.run_script(  # type: ignore[attr-defined]
        "dbutils.notebook.exit({'a': 1})\nprint('not reached')\n"
    )
    assert run.result["status"] == "SUCCESS"
    assert run.result["exit_value"] == "{'a': 1}"
    assert run.result["exit_value_truncated"] is False


def test_exit_value_is_truncated_to_5_mb(task_env: object) -> None:
    run = task_env.run_script(  # type: ignore[attr-defined]
        "dbutils.notebook.exit('é' * (3 * 1024 * 1024))\n"
    )
    value = run.result["exit_value"]
    assert run.result["exit_value_truncated"] is True
    assert len(value.encode()) <= 5 * 1024 * 1024
    assert set(value) == {"é"}
    assert len(value) == 5 * 1024 * 1024 // 2


def test_missing_python_file_is_resource_not_found(task_env: object, tmp_path: Path) -> None:
    spec = task_env.spec("python_file", python_file=str(tmp_path / "nope.py"))  # type: ignore[attr-defined]
    run = task_env.run(spec)  # type: ignore[attr-defined]
    assert run.result["status"] == "FAILED"
    assert run.result["termination_code"] == "RESOURCE_NOT_FOUND"
    assert run.result["error_code"] == "ResourceNotFound"
    assert "nope.py: the file does not exist" in run.result["error"]


def test_invalid_spec_still_writes_a_result(task_env: object) -> None:
    spec = task_env.spec("shell_script")  # type: ignore[attr-defined]
    run = task_env.run(spec)  # type: ignore[attr-defined]
    assert run.returncode == 1
    assert run.result["status"] == "FAILED"
    assert run.result["termination_code"] == "INVALID_RUN_CONFIGURATION"
    assert "kind 'shell_script' is not one of" in run.result["error"]
    assert run.pid["pid"] > 0


def test_unreadable_spec_writes_result_next_to_it(task_env: object, tmp_path: Path) -> None:
    task_dir = tmp_path / "broken"
    task_dir.mkdir()
    (task_dir / "spec.json").write_text("{not json")
    run = task_env.run(task_dir / "spec.json")  # type: ignore[attr-defined]
    assert run.result["status"] == "FAILED"
    assert "cannot read the runtime spec" in run.result["error"]


def test_keyboard_interrupt_fails(task_env: object) -> None:
    run = task_env.run_script("raise KeyboardInterrupt\n")  # type: ignore[attr-defined]
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == "interrupted (KeyboardInterrupt)"


def test_sigterm_writes_a_result(task_env: object) -> None:
    script = task_env.script(  # type: ignore[attr-defined]
        "sleepy.py",
        "import time\ndbutils.jobs.taskValues.set('before', 1)\n"
        "print('started', flush=True)\ntime.sleep(60)\n",
    )
    spec = task_env.spec("python_file", python_file=str(script))  # type: ignore[attr-defined]
    process = task_env.start(spec)  # type: ignore[attr-defined]
    log = spec.parent / "stdout.log"
    _wait_for(lambda: "started" in log.read_text())
    process.send_signal(signal.SIGTERM)
    returncode = process.wait(timeout=30)
    run = task_env.collect(spec, returncode)  # type: ignore[attr-defined]
    assert returncode == 1
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == "terminated by signal SIGTERM"
    assert run.result["termination_code"] == "CANCELED"
    assert run.result["task_values"] == {"before": 1}


def test_logs_are_readable_while_the_task_runs(task_env: object, tmp_path: Path) -> None:
    go = tmp_path / "go"
    script = task_env.script(  # type: ignore[attr-defined]
        "live.py",
        "import pathlib, sys, time\n"
        "print('first line')\n"
        "print('to stderr', file=sys.stderr)\n"
        f"go = pathlib.Path({str(go)!r})\n"
        "deadline = time.monotonic() + 30\n"
        "while not go.exists() and time.monotonic() < deadline:\n"
        "    time.sleep(0.02)\n"
        "print('second line')\n",
    )
    spec = task_env.spec("python_file", python_file=str(script))  # type: ignore[attr-defined]
    process = task_env.start(spec)  # type: ignore[attr-defined]
    stdout_log, stderr_log = spec.parent / "stdout.log", spec.parent / "stderr.log"
    _wait_for(lambda: "first line" in stdout_log.read_text())
    _wait_for(lambda: "to stderr" in stderr_log.read_text())
    assert "second line" not in stdout_log.read_text()
    assert process.poll() is None
    go.touch()
    assert process.wait(timeout=30) == 0
    assert "second line" in stdout_log.read_text()


def test_secrets_are_redacted_everywhere(task_env: object) -> None:
    secret_store.put_secret(task_env.home / "secrets.json", "prod", "pw", "hunter2-pass")  # type: ignore[attr-defined]
    run = task_env.run_script(  # type: ignore[attr-defined]
        "import sys\n"
        "pw = dbutils.secrets.get('prod', 'pw')\n"
        "print('password is', pw)\n"
        "print('pieces: hunter2', end='')\n"
        "print('-pass')\n"
        "print('err', pw, file=sys.stderr)\n"
        "raise ValueError('login failed for ' + pw)\n"
    )
    assert "hunter2-pass" not in run.stdout + run.stderr
    assert "password is [REDACTED]" in run.stdout
    assert "pieces: [REDACTED]" in run.stdout
    assert "err [REDACTED]" in run.stderr
    result_text = json.dumps(run.result)
    assert "hunter2-pass" not in result_text
    assert run.result["error"] == "ValueError: login failed for [REDACTED]"
    assert "[REDACTED]" in run.result["error_trace"]


def test_exit_value_is_redacted(task_env: object) -> None:
    secret_store.put_secret(task_env.home / "secrets.json", "s", "k", "topsecret")  # type: ignore[attr-defined]
    run = task_env.run_script(  # type: ignore[attr-defined]
        "dbutils.notebook.exit('value=' + dbutils.secrets.get('s', 'k'))\n"
    )
    assert run.result["exit_value"] == "value=[REDACTED]"


def test_display_in_a_script_prints_a_table(task_env: object) -> None:
    run = task_env.run_script(  # type: ignore[attr-defined]
        "display([{'a': 1, 'b': 'x'}, {'a': 2}])\ndisplayHTML('<b>hi</b>')\n"
    )
    assert run.result["status"] == "SUCCESS"
    assert "a | b\n--+-----\n1 | x\n2 | null" in run.stdout
    assert "<b>hi</b>" in run.stdout


def test_run_task_in_process_restores_streams(task_env: object) -> None:
    script = task_env.script("ok.py", "print('in process')\n")  # type: ignore[attr-defined]
    spec = task_env.spec("python_file", python_file=str(script))  # type: ignore[attr-defined]
    before = (sys.stdout, sys.stderr, signal.getsignal(signal.SIGTERM))
    saved_argv, saved_path = list(sys.argv), list(sys.path)
    try:
        assert run_task(spec) == 0
    finally:
        sys.argv[:], sys.path[:] = saved_argv, saved_path
    assert (sys.stdout, sys.stderr, signal.getsignal(signal.SIGTERM)) == before
    assert json.loads((spec.parent / "result.json").read_text())["status"] == "SUCCESS"


def test_sys_path_entries_come_first_and_honour_pth_files(task_env: object, tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    extra = tmp_path / "pth_target"
    env_dir.mkdir()
    extra.mkdir()
    (env_dir / "extra.pth").write_text(f"{extra}\n")
    (extra / "pth_mod.py").write_text("OK = 'pth works'\n")
    run = task_env.run_script(  # type: ignore[attr-defined]
        f"import sys, pth_mod\nprint(pth_mod.OK)\nprint(sys.path.index({str(env_dir)!r}))\n",
        sys_path=[str(env_dir)],
    )
    assert run.result["status"] == "SUCCESS", run.result
    lines = run.stdout.splitlines()
    assert lines[0] == "pth works"
    assert int(lines[1]) <= 1  # only the script's own folder may come before it
