"""python_wheel_task end to end with a real wheel installed into a cached environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brickyard.errors import LibraryInstallationError
from brickyard.executors.python_wheel import wheel_argv
from brickyard.params import ResolvedTaskParameters
from brickyard.states import ResultState, TerminationCode

PACKAGE = """
import sys

def main():
    print("argv0", sys.argv[0])
    print("args", sys.argv[1:])
    dbutils.jobs.taskValues.set("args", sys.argv[1:])

def fail():
    raise RuntimeError("wheel failed")
"""


def wheel_task(entry_point: str) -> dict[str, Any]:
    return {
        "task_key": "wheel",
        "python_wheel_task": {"package_name": "reporting_xyz", "entry_point": entry_point},
        "libraries": [{"whl": "dist/reporting_xyz-0.1.0-py3-none-any.whl"}],
    }


@pytest.fixture
def wheel(job_dir: Path, wheel_builder: Callable[..., Path]) -> Path:
    return wheel_builder(
        job_dir / "dist",
        "reporting_xyz",
        module_source=PACKAGE,
        entry_points={"report": "reporting_xyz:main"},
    )


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_named_parameters_become_flags(runner: Any, wheel: Path, fork: bool) -> None:
    request = runner.request(
        wheel_task("report"),
        ResolvedTaskParameters(named_parameters={"date": "2026-11-21", "env": "dev"}),
    )
    outcome = runner.run(request, fork=fork).outcome
    assert outcome.result is ResultState.SUCCESS, outcome
    assert outcome.task_values == {"args": ["--date=2026-11-21", "--env=dev"]}
    assert outcome.logs is not None and "argv0 reporting_xyz" in outcome.logs


def test_package_function_when_no_entry_point_metadata(runner: Any, wheel: Path) -> None:
    request = runner.request(wheel_task("fail"), ResolvedTaskParameters(argv=("a", "b")))
    outcome = runner.run(request).outcome
    assert outcome.result is ResultState.FAILED
    assert outcome.error == "RuntimeError: wheel failed"
    assert outcome.termination_code is TerminationCode.RUN_EXECUTION_ERROR


def test_unknown_entry_point_is_resource_not_found(runner: Any, wheel: Path) -> None:
    outcome = runner.run(runner.request(wheel_task("nope"))).outcome
    assert outcome.result is ResultState.FAILED
    assert outcome.termination_code is TerminationCode.RESOURCE_NOT_FOUND
    assert outcome.message == outcome.error
    assert outcome.error is not None and "nope" in outcome.error


def test_missing_wheel_is_a_library_installation_error(runner: Any) -> None:
    request = runner.request(wheel_task("report"))
    executor = runner.registry.executor_for(request.task)
    with pytest.raises(LibraryInstallationError, match=r"reporting_xyz-0\.1\.0"):
        executor.prepare(request)


def test_wheel_argv() -> None:
    assert wheel_argv(("a", "b"), {}) == ["a", "b"]
    assert wheel_argv((), {"k": "v", "x": "1 2"}) == ["--k=v", "--x=1 2"]
    assert wheel_argv((), {}) == []
