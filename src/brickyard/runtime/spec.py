"""The runtime spec (``task_dir/spec.json``) that the executor writes and the task reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from brickyard.errors import InvalidInputError
from brickyard.workspace import NotebookFormat

SPEC_VERSION = 1

__all__ = ["SPEC_VERSION", "NotebookFormat", "RuntimeSpec", "TaskKind", "load_runtime_spec"]


class TaskKind(StrEnum):
    """What the task process runs."""

    PYTHON_FILE = "python_file"
    """A Python script run as ``__main__``."""
    NOTEBOOK = "notebook"
    """A source (``.py``/``.sql``/...) or Jupyter (``.ipynb``) notebook."""
    PYTHON_WHEEL = "python_wheel"
    """An entry point of an installed Python package."""


@dataclass(frozen=True)
class RuntimeSpec:
    """Everything one task-run attempt needs, as read from ``spec.json``."""

    kind: TaskKind
    task_key: str
    job_id: int | None
    job_run_id: int
    task_run_id: int
    attempt_number: int
    result_file: Path
    python_file: Path | None = None
    argv: tuple[str, ...] = ()
    package_name: str | None = None
    entry_point: str | None = None
    notebook_file: Path | None = None
    notebook_workspace_path: str | None = None
    notebook_format: NotebookFormat = NotebookFormat.SOURCE
    widgets: Mapping[str, str] = field(default_factory=dict)
    job_parameters: Mapping[str, str] = field(default_factory=dict)
    output_notebook: Path | None = None
    cwd: Path | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    sys_path: tuple[str, ...] = ()
    task_values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    home: Path | None = None
    workspace_root: Path | None = None
    dbfs_root: Path | None = None
    volumes_root: Path | None = None
    secrets_file: Path | None = None
    pip_cache_root: Path | None = None
    control_socket: Path | None = None


def load_runtime_spec(path: Path) -> RuntimeSpec:
    """Read and check ``spec.json``; an :class:`InvalidInputError` names the bad field."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"{path}: cannot read the runtime spec: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{path}: the runtime spec must be a JSON object")
    return parse_runtime_spec(raw, source=str(path))


def parse_runtime_spec(raw: Mapping[str, Any], source: str = "spec.json") -> RuntimeSpec:
    """Build a :class:`RuntimeSpec` from the decoded JSON object."""
    reader = _FieldReader(raw, source)
    version = raw.get("version", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise InvalidInputError(f"{source}: version {version!r} is not supported (expected 1)")
    kind_text = reader.string("kind")
    try:
        kind = TaskKind(kind_text)
    except ValueError:
        choices = ", ".join(k.value for k in TaskKind)
        raise InvalidInputError(f"{source}: kind {kind_text!r} is not one of {choices}") from None
    format_text = reader.optional_string("notebook_format") or NotebookFormat.SOURCE.value
    try:
        notebook_format = NotebookFormat(format_text)
    except ValueError:
        raise InvalidInputError(
            f"{source}: notebook_format {format_text!r} is not SOURCE or JUPYTER"
        ) from None
    spec = RuntimeSpec(
        kind=kind,
        task_key=reader.string("task_key"),
        job_id=reader.optional_int("job_id"),
        job_run_id=reader.integer("job_run_id"),
        task_run_id=reader.integer("task_run_id"),
        attempt_number=reader.optional_int("attempt_number") or 0,
        result_file=reader.path("result_file"),
        python_file=reader.optional_path("python_file"),
        argv=reader.string_list("argv"),
        package_name=reader.optional_string("package_name"),
        entry_point=reader.optional_string("entry_point"),
        notebook_file=reader.optional_path("notebook_file"),
        notebook_workspace_path=reader.optional_string("notebook_workspace_path"),
        notebook_format=notebook_format,
        widgets=reader.string_map("widgets"),
        job_parameters=reader.string_map("job_parameters"),
        output_notebook=reader.optional_path("output_notebook"),
        cwd=reader.optional_path("cwd"),
        env=reader.string_map("env"),
        sys_path=reader.string_list("sys_path"),
        task_values=reader.task_values("task_values"),
        home=reader.optional_path("home"),
        workspace_root=reader.optional_path("workspace_root"),
        dbfs_root=reader.optional_path("dbfs_root"),
        volumes_root=reader.optional_path("volumes_root"),
        secrets_file=reader.optional_path("secrets_file"),
        pip_cache_root=reader.optional_path("pip_cache_root"),
        control_socket=reader.optional_path("control_socket"),
    )
    _check_kind_fields(spec, source)
    return spec


def _check_kind_fields(spec: RuntimeSpec, source: str) -> None:
    required = {
        TaskKind.PYTHON_FILE: ("python_file", spec.python_file),
        TaskKind.NOTEBOOK: ("notebook_file", spec.notebook_file),
        TaskKind.PYTHON_WHEEL: ("package_name", spec.package_name),
    }
    name, value = required[spec.kind]
    if value is None:
        raise InvalidInputError(f"{source}: {name} is required for kind {spec.kind.value}")


class _FieldReader:
    """Typed access to the spec's fields with one-line errors naming the field."""

    def __init__(self, raw: Mapping[str, Any], source: str) -> None:
        self._raw = raw
        self._source = source

    def _fail(self, name: str, expected: str) -> InvalidInputError:
        return InvalidInputError(f"{self._source}: field {name!r} must be {expected}")

    def string(self, name: str) -> str:
        value = self._raw.get(name)
        if not isinstance(value, str):
            raise self._fail(name, "a string")
        return value

    def optional_string(self, name: str) -> str | None:
        value = self._raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._fail(name, "a string or null")
        return value

    def integer(self, name: str) -> int:
        value = self._raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(name, "an integer")
        return value

    def optional_int(self, name: str) -> int | None:
        if self._raw.get(name) is None:
            return None
        return self.integer(name)

    def path(self, name: str) -> Path:
        return Path(self.string(name))

    def optional_path(self, name: str) -> Path | None:
        value = self.optional_string(name)
        return None if value is None else Path(value)

    def string_list(self, name: str) -> tuple[str, ...]:
        value = self._raw.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(name, "a list of strings")
        return tuple(value)

    def string_map(self, name: str) -> dict[str, str]:
        value = self._raw.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self._fail(name, "an object of strings")
        return dict(value)

    def task_values(self, name: str) -> dict[str, dict[str, Any]]:
        value = self._raw.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise self._fail(name, "an object of objects (task key -> values)")
        return {str(k): dict(v) for k, v in value.items()}
