"""result.json: the runtime's writer and the executors' reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brickyard.task_protocol import (
    ProtocolError,
    ResultStatus,
    TaskResult,
    read_result_file,
    write_result_file,
)


def test_result_file_round_trip_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "result.json"
    result = TaskResult(
        status=ResultStatus.FAILED,
        task_values={"k": [1]},
        error="ValueError: boom",
        error_trace="Traceback ...",
        error_code="RunExecutionError",
        termination_code="RUN_EXECUTION_ERROR",
    )
    write_result_file(path, result)
    assert read_result_file(path) == result
    raw = json.loads(path.read_text())
    assert raw["version"] == 1 and raw["status"] == "FAILED" and raw["exit_value"] is None
    assert sorted(p.name for p in path.parent.iterdir()) == ["result.json"]


def test_reads_a_version_1_file_without_optional_fields(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"status": "SUCCESS", "exit_value": 12, "task_values": [1]}))
    assert read_result_file(path) == TaskResult(status=ResultStatus.SUCCESS, exit_value="12")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read the result file"),
        ("[]", "must be a JSON object"),
        ('{"status": "MAYBE"}', "status 'MAYBE' is not SUCCESS or FAILED"),
        ('{"status": "SUCCESS", "version": 9}', "version 9 is not supported"),
    ],
)
def test_damaged_files_raise(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(content)
    with pytest.raises(ProtocolError, match=message):
        read_result_file(path)
