"""spark_python_task end to end: path forms, argv, cwd, logs, exit codes, libraries."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brickyard.errors import TaskLaunchError
from brickyard.executors.outcome import WORKLOAD_FAILED_MESSAGE
from brickyard.params import ResolvedTaskParameters
from brickyard.settings import Settings
from brickyard.states import ResultState, TerminationCode

SCRIPT = """
import os, sys
print("argv", sys.argv[1:])
print("cwd", os.getcwd())
print("to stderr", file=sys.stderr)
dbutils.jobs.taskValues.set("seen", len(sys.argv) - 1)
"""


def script_task(path: str) -> dict[str, Any]:
    return {"task_key": "py", "spark_python_task": {"python_file": path}}


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_relative_script_with_argv(runner: Any, job_dir: Path, fork: bool) -> None:
    (job_dir / "src").mkdir()
    (job_dir / "src" / "main.py").write_text(SCRIPT)
    request = runner.request(
        script_task("src/main.py"), ResolvedTaskParameters(argv=("--date", "2026-11-21"))
    )

    outcome = runner.run(request, fork=fork).outcome

    assert outcome.result is ResultState.SUCCESS, outcome
    assert outcome.task_values == {"seen": 2}
    assert outcome.logs is not None
    assert "argv ['--date', '2026-11-21']" in outcome.logs
    assert f"cwd {job_dir / 'src'}" in outcome.logs
    assert outcome.logs.rstrip().endswith("to stderr")  # stdout, then stderr
    assert outcome.logs_truncated is False


def test_dbfs_script_that_exits_non_zero(runner: Any, settings: Settings) -> None:
    script = settings.dbfs_root / "scripts" / "fail.py"
    script.parent.mkdir(parents=True)
    script.write_text("import sys\nprint('failing')\nsys.exit(3)\n")
    outcome = runner.run(runner.request(script_task("dbfs:/scripts/fail.py"))).outcome
    assert outcome.result is ResultState.FAILED
    assert outcome.message == WORKLOAD_FAILED_MESSAGE
    assert outcome.termination_code is TerminationCode.RUN_EXECUTION_ERROR
    assert outcome.error is not None and "3" in outcome.error
    assert outcome.logs is not None and "failing" in outcome.logs


def test_killed_script_is_a_driver_error(runner: Any, job_dir: Path) -> None:
    (job_dir / "die.py").write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    finished = runner.run(runner.request(script_task("die.py")))
    outcome = finished.outcome
    assert finished.status == -9
    assert outcome.result is ResultState.FAILED
    assert outcome.termination_code is TerminationCode.DRIVER_ERROR
    assert outcome.message == (
        "the task process was killed by SIGKILL without reporting a result; "
        f"see {finished.plan.process.stderr_path}"
    )


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_script_with_a_wheel_library(
    runner: Any, job_dir: Path, wheel_builder: Callable[..., Path], fork: bool
) -> None:
    wheel_builder(job_dir / "dist", "scriptlib_xyz", module_source="VALUE = 'from wheel'\n")
    (job_dir / "use_lib.py").write_text(
        "import sys, scriptlib_xyz\nprint(scriptlib_xyz.VALUE, sys.executable)\n"
    )
    task = script_task("use_lib.py") | {
        "libraries": [{"whl": "dist/scriptlib_xyz-0.1.0-py3-none-any.whl"}]
    }
    finished = runner.run(runner.request(task), fork=fork)
    assert finished.outcome.result is ResultState.SUCCESS, finished.outcome
    assert finished.outcome.logs is not None and "from wheel" in finished.outcome.logs
    process = finished.plan.process
    assert process.python is not None and process.python != sys.executable
    assert process.sys_path and Path(process.sys_path[0]).is_dir()


def test_missing_script_is_resource_not_found(runner: Any) -> None:
    request = runner.request(script_task("nowhere/main.py"))
    executor = runner.registry.executor_for(request.task)
    with pytest.raises(TaskLaunchError, match=r"nowhere/main\.py") as raised:
        executor.prepare(request)
    assert raised.value.termination_code == "RESOURCE_NOT_FOUND"


def test_remote_script_is_an_invalid_configuration(runner: Any) -> None:
    request = runner.request(script_task("s3://bucket/main.py"))
    executor = runner.registry.executor_for(request.task)
    with pytest.raises(TaskLaunchError, match="remote") as raised:
        executor.prepare(request)
    assert raised.value.termination_code == "INVALID_RUN_CONFIGURATION"
