"""``spec.json``: what one task process runs, written by the executors, read by the runtime.

Version 1 is a flat JSON object: the common fields (identity, roots, environment, task
values) beside the fields of the task's runtime kind (``python_file``/``argv``,
``package_name``/``entry_point``/``argv``, or the notebook fields). In memory the kind's
fields are one typed payload, so a runtime kind cannot be read with another kind's fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from brickyard.task_protocol.fields import FieldReader
from brickyard.task_protocol.json_files import ProtocolError, read_json_object
from brickyard.task_protocol.spark_session import SparkSessionSpec

SPEC_VERSION = 1

NOTEBOOK_FORMATS = ("SOURCE", "JUPYTER")
"""The wire values of ``brickyard.workspace.NotebookFormat``."""


class RuntimeKind(StrEnum):
    """What the task process runs (several task types may share one kind)."""

    PYTHON_FILE = "python_file"
    """A Python script run as ``__main__``."""
    NOTEBOOK = "notebook"
    """A source (``.py``/``.sql``/...) or Jupyter (``.ipynb``) notebook."""
    PYTHON_WHEEL = "python_wheel"
    """An entry point of an installed Python package."""


@dataclass(frozen=True)
class PythonFilePayload:
    """A Python file run with ``argv`` as ``sys.argv[1:]``."""

    python_file: Path
    argv: tuple[str, ...] = ()

    kind = RuntimeKind.PYTHON_FILE

    def to_json(self) -> dict[str, Any]:
        """The payload's fields of ``spec.json``."""
        return {"python_file": str(self.python_file), "argv": list(self.argv)}

    @classmethod
    def read(cls, reader: FieldReader) -> PythonFilePayload:
        """The payload from a decoded ``spec.json``."""
        python_file = reader.optional_path("python_file")
        if python_file is None:
            raise reader.fail(f"python_file is required for kind {cls.kind.value}")
        return cls(python_file=python_file, argv=reader.string_list("argv"))


@dataclass(frozen=True)
class PythonWheelPayload:
    """An installed package's entry point, called with ``argv`` as ``sys.argv[1:]``."""

    package_name: str
    entry_point: str | None = None
    argv: tuple[str, ...] = ()

    kind = RuntimeKind.PYTHON_WHEEL

    def to_json(self) -> dict[str, Any]:
        """The payload's fields of ``spec.json``."""
        return {
            "package_name": self.package_name,
            "entry_point": self.entry_point,
            "argv": list(self.argv),
        }

    @classmethod
    def read(cls, reader: FieldReader) -> PythonWheelPayload:
        """The payload from a decoded ``spec.json``."""
        package_name = reader.optional_string("package_name")
        if package_name is None:
            raise reader.fail(f"package_name is required for kind {cls.kind.value}")
        return cls(
            package_name=package_name,
            entry_point=reader.optional_string("entry_point"),
            argv=reader.string_list("argv"),
        )


@dataclass(frozen=True)
class NotebookPayload:
    """A notebook run with ``widgets``; its executed copy goes to ``output_notebook``."""

    notebook_file: Path
    notebook_workspace_path: str | None = None
    notebook_format: str = "SOURCE"
    """``SOURCE`` or ``JUPYTER`` (the value of ``brickyard.workspace.NotebookFormat``)."""
    widgets: Mapping[str, str] = field(default_factory=dict)
    output_notebook: Path | None = None

    kind = RuntimeKind.NOTEBOOK

    @property
    def is_jupyter(self) -> bool:
        """Whether the notebook is an ``.ipynb`` (run in a Jupyter kernel)."""
        return self.notebook_format == "JUPYTER"

    def to_json(self) -> dict[str, Any]:
        """The payload's fields of ``spec.json``."""
        return {
            "notebook_file": str(self.notebook_file),
            "notebook_workspace_path": self.notebook_workspace_path,
            "notebook_format": self.notebook_format,
            "widgets": dict(self.widgets),
            "output_notebook": None if self.output_notebook is None else str(self.output_notebook),
        }

    @classmethod
    def read(cls, reader: FieldReader) -> NotebookPayload:
        """The payload from a decoded ``spec.json``."""
        notebook_format = reader.optional_string("notebook_format") or "SOURCE"
        if notebook_format not in NOTEBOOK_FORMATS:
            raise reader.fail(f"notebook_format {notebook_format!r} is not SOURCE or JUPYTER")
        notebook_file = reader.optional_path("notebook_file")
        if notebook_file is None:
            raise reader.fail(f"notebook_file is required for kind {cls.kind.value}")
        return cls(
            notebook_file=notebook_file,
            notebook_workspace_path=reader.optional_string("notebook_workspace_path"),
            notebook_format=notebook_format,
            widgets=reader.string_map("widgets"),
            output_notebook=reader.optional_path("output_notebook"),
        )


RuntimePayload = PythonFilePayload | PythonWheelPayload | NotebookPayload
"""The kind-specific part of a runtime spec."""

_PAYLOADS: dict[RuntimeKind, type[PythonFilePayload | PythonWheelPayload | NotebookPayload]] = {
    payload.kind: payload for payload in (PythonFilePayload, PythonWheelPayload, NotebookPayload)
}


@dataclass(frozen=True)
class RuntimeSpec:
    """Everything one task-run attempt needs, as ``spec.json`` holds it."""

    task_key: str
    job_id: int | None
    job_run_id: int
    task_run_id: int
    attempt_number: int
    result_file: Path
    payload: RuntimePayload
    job_parameters: Mapping[str, str] = field(default_factory=dict)
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
    warnings: tuple[str, ...] = ()
    """Settings of the task brickyard does not act on (``libraries[0].maven: ...``), written at
    the top of the task's stderr log; absent from files written before, read as none."""
    spark: SparkSessionSpec | None = None
    """The session the task's ``spark`` opens on first use; None where Spark is not installed
    (and in files written before the field)."""

    @property
    def kind(self) -> RuntimeKind:
        """What the process runs (from the payload)."""
        return self.payload.kind

    @property
    def notebook(self) -> NotebookPayload | None:
        """The notebook payload, or None when the task is not a notebook."""
        return self.payload if isinstance(self.payload, NotebookPayload) else None

    def to_json(self) -> dict[str, Any]:
        """The ``spec.json`` object (version :data:`SPEC_VERSION`)."""

        def text(path: Path | None) -> str | None:
            return None if path is None else str(path)

        return {
            "version": SPEC_VERSION,
            "kind": self.kind.value,
            "task_key": self.task_key,
            "job_id": self.job_id,
            "job_run_id": self.job_run_id,
            "task_run_id": self.task_run_id,
            "attempt_number": self.attempt_number,
            **self.payload.to_json(),
            "job_parameters": dict(self.job_parameters),
            "cwd": text(self.cwd),
            "env": dict(self.env),
            "sys_path": list(self.sys_path),
            "task_values": {key: dict(values) for key, values in self.task_values.items()},
            "result_file": str(self.result_file),
            "home": text(self.home),
            "workspace_root": text(self.workspace_root),
            "dbfs_root": text(self.dbfs_root),
            "volumes_root": text(self.volumes_root),
            "secrets_file": text(self.secrets_file),
            "pip_cache_root": text(self.pip_cache_root),
            "control_socket": text(self.control_socket),
            # left out when empty: a task without warnings is written as before the field was
            **({"warnings": list(self.warnings)} if self.warnings else {}),
            # left out when None, as warnings are: a spec without Spark is written as before
            **({"spark": self.spark.to_json()} if self.spark is not None else {}),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], source: str = "spec.json") -> RuntimeSpec:
        """Check a decoded ``spec.json``; a :class:`ProtocolError` names the bad field."""
        reader = FieldReader(raw, source)
        reader.version(SPEC_VERSION)
        kind_text = reader.string("kind")
        try:
            kind = RuntimeKind(kind_text)
        except ValueError:
            choices = ", ".join(k.value for k in RuntimeKind)
            raise reader.fail(f"kind {kind_text!r} is not one of {choices}") from None
        return cls(
            task_key=reader.string("task_key"),
            job_id=reader.optional_int("job_id"),
            job_run_id=reader.integer("job_run_id"),
            task_run_id=reader.integer("task_run_id"),
            attempt_number=reader.optional_int("attempt_number") or 0,
            result_file=reader.path("result_file"),
            payload=_PAYLOADS[kind].read(reader),
            job_parameters=reader.string_map("job_parameters"),
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
            warnings=reader.string_list("warnings"),
            spark=SparkSessionSpec.read(raw.get("spark"), source),
        )


def write_runtime_spec(path: Path, spec: RuntimeSpec) -> None:
    """Write ``spec.json`` (the one writer: the executors call it before the process starts)."""
    # Written before the process that reads it is started, into a fresh folder: nothing can
    # see it half-written, so no temporary file and rename (a rename costs milliseconds on
    # some filesystems, on every task).
    path.write_text(json.dumps(spec.to_json()), encoding="utf-8")  # compact: the C encoder


def read_runtime_spec(path: Path) -> RuntimeSpec:
    """Read and check ``spec.json`` (the one reader: the task runtime); raises
    :class:`ProtocolError` naming the file and the bad field."""
    return RuntimeSpec.from_json(read_json_object(path, "runtime spec"), source=str(path))


__all__ = [
    "NOTEBOOK_FORMATS",
    "SPEC_VERSION",
    "NotebookPayload",
    "ProtocolError",
    "PythonFilePayload",
    "PythonWheelPayload",
    "RuntimeKind",
    "RuntimePayload",
    "RuntimeSpec",
    "read_runtime_spec",
    "write_runtime_spec",
]
