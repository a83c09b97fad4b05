"""Parameter precedence (databricks-semantics.md §1.9): job parameters and run overrides.

Layers, lowest first: a task's own parameters (``base_parameters``, ``parameters``,
``named_parameters``); the deprecated run-now overrides (:class:`RunOverrides`: the maps merge
per key with run-now winning; ``python_params``, ``jar_params``, ``spark_submit_params`` and
``dbt_commands`` replace the task's list); then job parameters (:func:`resolve_job_parameters`),
pushed down into every key-value task, where the job parameter wins a name clash. How each
task type applies the layers is its parameter rule, kept with the type in
``brickyard.executors.<type>`` (the shared pieces are in :mod:`brickyard.params.task_parameters`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from brickyard.errors import InvalidInputError
from brickyard.params.context import ResolutionContext
from brickyard.params.resolve import resolve_text
from brickyard.spec.base import coerce_str
from brickyard.spec.job import JobParameterDefinition
from brickyard.spec.task_types import PipelineParams

MAX_LEGACY_PARAM_BYTES = 10_000
"""The JSON of each legacy override field may be at most this long."""

_MAP_FIELDS = ("job_parameters", "notebook_params", "python_named_params", "sql_params")
_LIST_FIELDS = ("python_params", "jar_params", "spark_submit_params", "dbt_commands")
_ASCII_ONLY = ("python_params", "spark_submit_params")
_LEGACY_FIELDS = (
    "notebook_params",
    "python_params",
    "python_named_params",
    "jar_params",
    "spark_submit_params",
    "sql_params",
    "dbt_commands",
    "pipeline_params",
)


@dataclass(frozen=True)
class RunOverrides:
    """The parameter overrides of one run request (run-now, repair, a Run Job task)."""

    job_parameters: Mapping[str, str] | None = None
    notebook_params: Mapping[str, str] | None = None
    python_params: tuple[str, ...] | None = None
    python_named_params: Mapping[str, str] | None = None
    jar_params: tuple[str, ...] | None = None
    spark_submit_params: tuple[str, ...] | None = None
    sql_params: Mapping[str, str] | None = None
    dbt_commands: tuple[str, ...] | None = None
    pipeline_params: PipelineParams | None = None

    @classmethod
    def from_request(cls, raw: Mapping[str, Any]) -> RunOverrides:
        """The overrides in a request body; other keys are ignored, ``null`` means absent.

        Numbers and booleans are accepted where strings are expected (clients send both).
        Raises :class:`~brickyard.errors.InvalidInputError` naming the offending field.
        """
        values: dict[str, Any] = {}
        for name in _MAP_FIELDS:
            if raw.get(name) is not None:
                values[name] = _string_map(name, raw[name])
        for name in _LIST_FIELDS:
            if raw.get(name) is not None:
                values[name] = _string_list(name, raw[name])
        if raw.get("pipeline_params") is not None:
            values["pipeline_params"] = _pipeline_params(raw["pipeline_params"])
        overrides = cls(**values)
        overrides._check_legacy()
        return overrides

    def _check_legacy(self) -> None:
        if self.jar_params is not None and self.notebook_params is not None:
            raise InvalidInputError("jar_params and notebook_params cannot both be given")
        for name, value in self.to_api().items():
            size = len(json.dumps(value, separators=(",", ":")).encode("utf-8"))
            if size > MAX_LEGACY_PARAM_BYTES:
                raise InvalidInputError(
                    f"{name} is {size} bytes as JSON; at most {MAX_LEGACY_PARAM_BYTES} are allowed"
                )
        for name in _ASCII_ONLY:
            items: tuple[str, ...] | None = getattr(self, name)
            if items is not None and not all(item.isascii() for item in items):
                raise InvalidInputError(f"{name} may contain only ASCII characters")

    @property
    def is_empty(self) -> bool:
        """Whether no override at all was given."""
        return self.job_parameters is None and not self.to_api()

    def to_api(self) -> dict[str, Any]:
        """The legacy fields that were given, as ``Run.overriding_parameters`` shows them."""
        shown: dict[str, Any] = {}
        for name in _LEGACY_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, PipelineParams):
                shown[name] = value.to_api()
            elif isinstance(value, tuple):
                shown[name] = list(value)
            else:
                shown[name] = dict(value)
        return shown


def _string_map(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{name} must be an object of strings")
    try:
        return {str(key): coerce_str(item) for key, item in value.items()}
    except ValueError as exc:
        raise InvalidInputError(f"{name}: {exc}") from None


def _string_list(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidInputError(f"{name} must be a list of strings")
    try:
        return tuple(coerce_str(item) for item in value)
    except ValueError as exc:
        raise InvalidInputError(f"{name}: {exc}") from None


def _pipeline_params(value: Any) -> PipelineParams:
    if not isinstance(value, Mapping):
        raise InvalidInputError("pipeline_params must be an object")
    try:
        return PipelineParams.model_validate(dict(value))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInputError(f"pipeline_params.{where}: {first['msg']}") from None


@dataclass(frozen=True)
class JobParameterValue:
    """One job parameter of a run: its definition's default and the value used."""

    name: str
    default: str
    value: str

    def to_api(self) -> dict[str, str]:
        """The ``Run.job_parameters[]`` item."""
        return {"name": self.name, "default": self.default, "value": self.value}


def resolve_job_parameters(
    definitions: Sequence[JobParameterDefinition],
    overrides: Mapping[str, str] | None,
    ctx: ResolutionContext,
) -> list[JobParameterValue]:
    """Every defined job parameter with its value for this run (override, else default).

    Values are resolved with ``ctx`` (defaults such as ``{{job.start_time.iso_date}}``); the
    reported default stays as defined. An override of an undefined name is an error.
    """
    defined = {definition.name: definition.default for definition in definitions}
    for name in overrides or {}:
        if name not in defined:
            known = ", ".join(defined) if defined else "the job defines no parameters"
            raise InvalidInputError(
                f"job_parameters: {name!r} is not a parameter of this job (defined: {known})"
            )
    given = overrides or {}
    return [
        JobParameterValue(name, default, resolve_text(given.get(name, default), ctx))
        for name, default in defined.items()
    ]
