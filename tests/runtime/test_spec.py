from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brickyard.errors import InvalidInputError
from brickyard.runtime.spec import (
    NotebookFormat,
    TaskKind,
    load_runtime_spec,
    parse_runtime_spec,
)

BASE: dict[str, Any] = {
    "version": 1,
    "kind": "python_file",
    "task_key": "t",
    "job_id": None,
    "job_run_id": 1,
    "task_run_id": 2,
    "python_file": "/x.py",
    "result_file": "/r.json",
}


def test_parses_a_full_spec() -> None:
    spec = parse_runtime_spec(
        {
            **BASE,
            "kind": "notebook",
            "notebook_file": "/nb.ipynb",
            "notebook_format": "JUPYTER",
            "widgets": {"a": "1"},
            "task_values": {"up": {"k": [1]}},
            "sys_path": ["/lib"],
            "control_socket": "/s.sock",
        }
    )
    assert spec.kind is TaskKind.NOTEBOOK
    assert spec.notebook_format is NotebookFormat.JUPYTER
    assert spec.job_id is None and spec.attempt_number == 0
    assert spec.widgets == {"a": "1"} and spec.task_values == {"up": {"k": [1]}}
    assert spec.sys_path == ("/lib",) and spec.control_socket == Path("/s.sock")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version 2 is not supported"),
        ({"kind": "jar"}, "kind 'jar' is not one of"),
        ({"task_key": 3}, "field 'task_key' must be a string"),
        ({"job_run_id": "1"}, "field 'job_run_id' must be an integer"),
        ({"argv": ["a", 1]}, "field 'argv' must be a list of strings"),
        ({"widgets": {"a": 1}}, "field 'widgets' must be an object of strings"),
        ({"task_values": {"a": 1}}, "field 'task_values' must be an object of objects"),
        ({"python_file": None}, "python_file is required for kind python_file"),
        ({"notebook_format": "HTML"}, "notebook_format 'HTML' is not SOURCE or JUPYTER"),
    ],
)
def test_invalid_fields_are_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_runtime_spec({**BASE, **change})


def test_load_errors(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    with pytest.raises(InvalidInputError, match="cannot read the runtime spec"):
        load_runtime_spec(path)
    path.write_text("[]")
    with pytest.raises(InvalidInputError, match="must be a JSON object"):
        load_runtime_spec(path)
