from __future__ import annotations

import json
from pathlib import Path

from brickyard.runtime.results import (
    EXIT_VALUE_LIMIT_BYTES,
    ResultStatus,
    TaskResult,
    read_result_file,
    truncate_exit_value,
    write_result_file,
)


def test_truncate_exit_value_counts_utf8_bytes() -> None:
    assert truncate_exit_value("short") == ("short", False)
    exact = "a" * EXIT_VALUE_LIMIT_BYTES
    assert truncate_exit_value(exact) == (exact, False)
    value, truncated = truncate_exit_value("a" + "€" * EXIT_VALUE_LIMIT_BYTES)
    assert truncated
    assert len(value.encode()) <= EXIT_VALUE_LIMIT_BYTES
    assert value.startswith("a€") and set(value[1:]) == {"€"}


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
