"""spec.json: the one writer and the one reader, version 1 payloads as written before."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from brickyard.task_protocol import (
    NotebookPayload,
    ProtocolError,
    PythonFilePayload,
    PythonWheelPayload,
    RuntimeKind,
    RuntimeSpec,
    read_runtime_spec,
    write_runtime_spec,
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

VERSION_1_NOTEBOOK_SPEC: dict[str, Any] = {
    # A spec.json exactly as brickyard wrote it before the protocol module (every key).
    "version": 1,
    "kind": "notebook",
    "task_key": "nb",
    "job_id": 7,
    "job_run_id": 70,
    "task_run_id": 71,
    "attempt_number": 1,
    "notebook_file": "/ws/etl.py",
    "notebook_workspace_path": "/etl",
    "notebook_format": "SOURCE",
    "widgets": {"env": "prod"},
    "job_parameters": {"env": "prod"},
    "output_notebook": "/runs/70/71-nb/notebook.ipynb",
    "cwd": "/ws",
    "env": {"A": "1"},
    "sys_path": ["/env/site-packages"],
    "task_values": {"up": {"rows": 3}},
    "result_file": "/runs/70/71-nb/result.json",
    "home": "/home/b",
    "workspace_root": "/home/b/workspace",
    "dbfs_root": "/home/b/dbfs",
    "volumes_root": "/home/b/volumes",
    "secrets_file": "/home/b/secrets.json",
    "pip_cache_root": "/home/b/environments/pip",
    "control_socket": None,
}


def test_parses_a_full_spec() -> None:
    spec = RuntimeSpec.from_json(
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
    assert spec.kind is RuntimeKind.NOTEBOOK
    assert spec.notebook is not None and spec.notebook.is_jupyter
    assert spec.job_id is None and spec.attempt_number == 0
    assert spec.notebook.widgets == {"a": "1"} and spec.task_values == {"up": {"k": [1]}}
    assert spec.sys_path == ("/lib",) and spec.control_socket == Path("/s.sock")


def test_reads_a_version_1_file_as_written_before() -> None:
    spec = RuntimeSpec.from_json(VERSION_1_NOTEBOOK_SPEC)
    assert spec.payload == NotebookPayload(
        notebook_file=Path("/ws/etl.py"),
        notebook_workspace_path="/etl",
        notebook_format="SOURCE",
        widgets={"env": "prod"},
        output_notebook=Path("/runs/70/71-nb/notebook.ipynb"),
    )
    assert spec.task_values == {"up": {"rows": 3}} and spec.env == {"A": "1"}
    assert spec.pip_cache_root == Path("/home/b/environments/pip")
    assert spec.warnings == ()
    # The writer gives back the very same object: one format, read and written here only.
    assert spec.to_json() == VERSION_1_NOTEBOOK_SPEC


def test_warnings_round_trip_and_are_left_out_when_there_are_none(tmp_path: Path) -> None:
    spec = RuntimeSpec(
        task_key="t",
        job_id=1,
        job_run_id=2,
        task_run_id=3,
        attempt_number=0,
        result_file=tmp_path / "result.json",
        payload=PythonFilePayload(Path("/x.py")),
        warnings=("libraries[0].maven: not installed",),
    )
    assert spec.to_json()["warnings"] == ["libraries[0].maven: not installed"]
    assert RuntimeSpec.from_json(spec.to_json()) == spec
    assert "warnings" not in replace(spec, warnings=()).to_json()


def test_warnings_must_be_strings() -> None:
    with pytest.raises(ProtocolError, match="warnings"):
        RuntimeSpec.from_json({**VERSION_1_NOTEBOOK_SPEC, "warnings": [1]})


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (PythonFilePayload(Path("/x.py"), ("a", "b")), RuntimeKind.PYTHON_FILE),
        (PythonWheelPayload("pkg", "main", ("--k=v",)), RuntimeKind.PYTHON_WHEEL),
        (NotebookPayload(Path("/nb.py"), widgets={"w": "1"}), RuntimeKind.NOTEBOOK),
    ],
)
def test_round_trip_through_the_file(
    tmp_path: Path, payload: PythonFilePayload | PythonWheelPayload | NotebookPayload, kind: Any
) -> None:
    spec = RuntimeSpec(
        task_key="t",
        job_id=1,
        job_run_id=2,
        task_run_id=3,
        attempt_number=0,
        result_file=tmp_path / "result.json",
        payload=payload,
        env={"E": "x"},
    )
    path = tmp_path / "spec.json"
    write_runtime_spec(path, spec)
    assert json.loads(path.read_text())["kind"] == kind.value
    assert read_runtime_spec(path) == spec


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version 2 is not supported"),
        ({"kind": "jar"}, "kind 'jar' is not one of"),
        ({"task_key": 3}, "field 'task_key' must be a string"),
        ({"job_run_id": "1"}, "field 'job_run_id' must be an integer"),
        ({"argv": ["a", 1]}, "field 'argv' must be a list of strings"),
        ({"task_values": {"a": 1}}, "field 'task_values' must be an object of objects"),
        ({"python_file": None}, "python_file is required for kind python_file"),
        ({"kind": "python_wheel"}, "package_name is required for kind python_wheel"),
        ({"kind": "notebook"}, "notebook_file is required for kind notebook"),
        (
            {"kind": "notebook", "notebook_file": "/n.py", "widgets": {"a": 1}},
            "field 'widgets' must be an object of strings",
        ),
        (
            {"kind": "notebook", "notebook_file": "/n.py", "notebook_format": "HTML"},
            "notebook_format 'HTML' is not SOURCE or JUPYTER",
        ),
    ],
)
def test_invalid_fields_are_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        RuntimeSpec.from_json({**BASE, **change})


def test_read_errors(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    with pytest.raises(ProtocolError, match="cannot read the runtime spec"):
        read_runtime_spec(path)
    path.write_text("[]")
    with pytest.raises(ProtocolError, match="must be a JSON object"):
        read_runtime_spec(path)
