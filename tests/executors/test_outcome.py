"""read_outcome_files: result files (valid, missing, corrupt) and the logs tail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.process import ProcessSpec
from brickyard.executors import outcome as outcome_module
from brickyard.executors.base import TaskProcessPlan
from brickyard.executors.outcome import (
    WORKLOAD_FAILED_MESSAGE,
    describe_exit,
    read_logs_tail,
    read_outcome,
    read_outcome_files,
)
from brickyard.states import ResultState, TerminationCode


@pytest.fixture
def plan(tmp_path: Path) -> TaskProcessPlan:
    process = ProcessSpec(
        stdout_path=tmp_path / "stdout.log",
        stderr_path=tmp_path / "stderr.log",
        cwd=tmp_path,
        runtime_spec=tmp_path / "spec.json",
    )
    return TaskProcessPlan(process=process, result_file=tmp_path / "result.json")


def write_result(plan: TaskProcessPlan, **fields: Any) -> None:
    result = {
        "version": 1,
        "status": "SUCCESS",
        "exit_value": None,
        "exit_value_truncated": False,
        "task_values": {},
        "error": None,
        "error_trace": None,
        "error_code": None,
        "termination_code": None,
    }
    plan.result_file.write_text(json.dumps(result | fields))


def test_success_with_exit_value_and_task_values(plan: TaskProcessPlan) -> None:
    write_result(plan, exit_value="x" * 10, exit_value_truncated=True, task_values={"k": [1]})
    outcome = read_outcome_files(plan, 0)
    assert outcome.result is ResultState.SUCCESS
    assert outcome.termination_code is TerminationCode.SUCCESS
    assert outcome.message == ""
    assert (outcome.exit_value, outcome.exit_value_truncated) == ("x" * 10, True)
    assert outcome.task_values == {"k": [1]}
    assert outcome.error is None and outcome.error_code is None


def test_code_failure_gets_the_generic_message(plan: TaskProcessPlan) -> None:
    write_result(
        plan,
        status="FAILED",
        error="ValueError: boom",
        error_trace="Traceback ...\nValueError: boom",
        error_code="RunExecutionError",
        termination_code="RUN_EXECUTION_ERROR",
    )
    outcome = read_outcome_files(plan, 1)
    assert outcome.result is ResultState.FAILED
    assert outcome.message == WORKLOAD_FAILED_MESSAGE
    assert outcome.termination_code is TerminationCode.RUN_EXECUTION_ERROR
    assert outcome.error == "ValueError: boom"
    assert outcome.error_trace == "Traceback ...\nValueError: boom"
    assert outcome.error_code == "RunExecutionError"


@pytest.mark.parametrize("code", ["LIBRARY_INSTALLATION_ERROR", "RESOURCE_NOT_FOUND"])
def test_specific_failures_keep_their_message(plan: TaskProcessPlan, code: str) -> None:
    write_result(plan, status="FAILED", error="pip said no", termination_code=code)
    outcome = read_outcome_files(plan, 1)
    assert outcome.termination_code == TerminationCode(code)
    assert outcome.message == "pip said no"


def test_unknown_termination_code_is_a_run_execution_error(plan: TaskProcessPlan) -> None:
    write_result(plan, status="FAILED", error="x", termination_code="SOMETHING_NEW")
    outcome = read_outcome_files(plan, 1)
    assert outcome.termination_code is TerminationCode.RUN_EXECUTION_ERROR
    assert outcome.error_code == "RunExecutionError"


@pytest.mark.parametrize(
    ("status", "how"),
    [
        (-9, "was killed by SIGKILL"),
        (-15, "was killed by SIGTERM"),
        (137, "exited with code 137"),
        (None, "ended"),
    ],
)
def test_missing_result_is_a_driver_error(
    plan: TaskProcessPlan, status: int | None, how: str
) -> None:
    outcome = read_outcome_files(plan, status)
    expected = f"the task process {how} without reporting a result; see {plan.process.stderr_path}"
    assert outcome.result is ResultState.FAILED
    assert outcome.termination_code is TerminationCode.DRIVER_ERROR
    assert outcome.message == expected
    assert outcome.error == expected


@pytest.mark.parametrize("content", ["{not json", "[]", '{"status": "MAYBE"}'])
def test_corrupt_result_is_a_driver_error(plan: TaskProcessPlan, content: str) -> None:
    plan.result_file.write_text(content)
    outcome = read_outcome_files(plan, 0)
    assert outcome.termination_code is TerminationCode.DRIVER_ERROR
    assert "exited with code 0 without reporting a result" in outcome.message


def test_logs_are_stdout_then_stderr(plan: TaskProcessPlan) -> None:
    plan.process.stdout_path.write_text("out\n")
    plan.process.stderr_path.write_text("err\n")
    write_result(plan)
    outcome = read_outcome_files(plan, 0, include_logs=True)
    assert (outcome.logs, outcome.logs_truncated) == ("out\nerr\n", False)
    assert read_outcome_files(plan, 0).logs is None


def test_logs_keep_the_last_bytes(plan: TaskProcessPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outcome_module, "LOGS_LIMIT_BYTES", 10)
    plan.process.stdout_path.write_text("0123456789abcdef")
    plan.process.stderr_path.write_text("XYZ")
    assert read_logs_tail(plan.process.stdout_path, plan.process.stderr_path) == (
        "9abcdefXYZ",
        True,
    )


def test_logs_of_the_full_size_are_cut_at_5_mb(plan: TaskProcessPlan) -> None:
    plan.process.stdout_path.write_bytes(b"a" * (5 * 1024 * 1024) + b"tail")
    logs, truncated = read_logs_tail(plan.process.stdout_path, plan.process.stderr_path)
    assert truncated
    assert len(logs) == 5 * 1024 * 1024
    assert logs.endswith("atail")


def test_logs_cut_inside_a_character_drop_it(
    plan: TaskProcessPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outcome_module, "LOGS_LIMIT_BYTES", 3)
    plan.process.stdout_path.write_text("é-x")  # é is two bytes: the cut lands inside it
    assert read_logs_tail(plan.process.stdout_path, plan.process.stderr_path) == ("-x", True)


def test_brief_name_is_the_same_function() -> None:
    assert read_outcome is read_outcome_files


def test_describe_exit() -> None:
    assert describe_exit(0) == "exited with code 0"
    assert describe_exit(-2) == "was killed by SIGINT"
    assert describe_exit(-200) == "was killed by signal 200"
