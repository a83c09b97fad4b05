"""Parameter precedence (databricks-semantics.md §1.9): job parameters, run overrides, tasks.

Layers, lowest first: a task's own parameters (``base_parameters``, ``parameters``,
``named_parameters``); the deprecated run-now overrides (``notebook_params`` and the other
maps merge per key with run-now winning; ``python_params``, ``jar_params``,
``spark_submit_params`` and ``dbt_commands`` replace the task's list); then job parameters,
pushed down into every key-value task (notebook widgets, wheel named parameters, SQL
parameters, Run Job job parameters), where the job parameter wins a name clash. Positional
tasks (Python script, wheel with positional parameters, JAR, spark-submit, for each) get no
pushdown. Every string is resolved with :func:`~brickyard.params.resolve.resolve_text`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from brickyard.errors import InvalidInputError
from brickyard.params.context import ResolutionContext
from brickyard.params.resolve import resolve_text
from brickyard.spec.base import coerce_str
from brickyard.spec.job import JobParameterDefinition
from brickyard.spec.task_types import PipelineParams, RunJobTask
from brickyard.spec.tasks import Task

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


@dataclass(frozen=True)
class ResolvedTaskParameters:
    """A task's parameters for one run, all layers applied and all references resolved.

    Which fields a task type fills:

    - notebook: ``widgets``;
    - Python script, JAR, spark-submit: ``argv``;
    - Python wheel: ``argv`` (positional) or ``named_parameters`` (``--k=v``, with pushdown);
    - SQL: ``named_parameters`` (the ``:name`` parameters, with pushdown);
    - pipeline: ``named_parameters`` (pipeline parameters, no pushdown);
    - Run Job: ``named_parameters`` (the child's job parameters: ``run_job_task.job_parameters``
      with this job's parameters pushed down; a caller keeps only the names the child job
      defines) and ``run_job_overrides`` (everything to start the child run with);
    - dbt: ``commands``; condition: ``condition``; for each: ``for_each_inputs``.
    """

    widgets: Mapping[str, str] = field(default_factory=dict)
    argv: tuple[str, ...] = ()
    named_parameters: Mapping[str, str] = field(default_factory=dict)
    condition: tuple[str, str] | None = None
    commands: tuple[str, ...] = ()
    for_each_inputs: str | None = None
    run_job_overrides: RunOverrides | None = None
    resolved_values: dict[str, Any] = field(default_factory=dict)
    """``RunTask.resolved_values`` (jobs-api.md §5.5), e.g. ``{"notebook_task": {...}}``."""


def resolve_task_parameters(
    task: Task,
    job_parameters: Mapping[str, str],
    overrides: RunOverrides,
    ctx: ResolutionContext,
) -> ResolvedTaskParameters:
    """Apply the precedence rules to ``task`` and resolve every reference with ``ctx``.

    ``job_parameters`` are the run's resolved job parameter values (pushed down as they are).
    """

    def each(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(resolve_text(value, ctx) for value in values)

    def each_value(values: Mapping[str, str]) -> dict[str, str]:
        return {key: resolve_text(value, ctx) for key, value in values.items()}

    if task.notebook_task is not None:
        merged = {**(task.notebook_task.base_parameters or {}), **(overrides.notebook_params or {})}
        widgets = {**each_value(merged), **job_parameters}
        return ResolvedTaskParameters(
            widgets=widgets,
            resolved_values={"notebook_task": {"base_parameters": widgets}},
        )
    if task.spark_python_task is not None:
        argv = each(_pick(overrides.python_params, task.spark_python_task.parameters))
        return _positional("spark_python_task", argv)
    if task.spark_jar_task is not None:
        argv = each(_pick(overrides.jar_params, task.spark_jar_task.parameters))
        return _positional("spark_jar_task", argv)
    if task.spark_submit_task is not None:
        argv = each(_pick(overrides.spark_submit_params, task.spark_submit_task.parameters))
        return _positional("spark_submit_task", argv)
    if task.python_wheel_task is not None:
        wheel = task.python_wheel_task
        argv = each(_pick(overrides.python_params, wheel.parameters))
        named = each_value(
            {**(wheel.named_parameters or {}), **(overrides.python_named_params or {})}
        )
        if not argv:
            # A wheel without positional parameters takes key-value parameters: pushdown.
            named.update(job_parameters)
        shown: dict[str, Any] = {}
        if argv:
            shown["parameters"] = list(argv)
        if named:
            shown["named_parameters"] = named
        return ResolvedTaskParameters(
            argv=argv, named_parameters=named, resolved_values={"python_wheel_task": shown}
        )
    if task.sql_task is not None:
        merged = {**(task.sql_task.parameters or {}), **(overrides.sql_params or {})}
        named = {**each_value(merged), **job_parameters}
        return ResolvedTaskParameters(
            named_parameters=named, resolved_values={"sql_task": {"parameters": named}}
        )
    if task.dbt_task is not None:
        commands = each(_pick(overrides.dbt_commands, task.dbt_task.commands))
        return ResolvedTaskParameters(
            commands=commands, resolved_values={"dbt_task": {"commands": list(commands)}}
        )
    if task.pipeline_task is not None:
        named = each_value(task.pipeline_task.parameters or {})
        return ResolvedTaskParameters(
            named_parameters=named, resolved_values={"pipeline_task": {"parameters": named}}
        )
    if task.run_job_task is not None:
        return _run_job(task.run_job_task, job_parameters, ctx)
    if task.condition_task is not None:
        left = resolve_text(task.condition_task.left, ctx)
        right = resolve_text(task.condition_task.right, ctx)
        return ResolvedTaskParameters(
            condition=(left, right),
            resolved_values={"condition_task": {"left": left, "right": right}},
        )
    if task.for_each_task is not None:
        return ResolvedTaskParameters(for_each_inputs=resolve_text(task.for_each_task.inputs, ctx))
    return ResolvedTaskParameters()


def _pick(override: Sequence[str] | None, own: Sequence[str] | None) -> Sequence[str]:
    """A legacy list override replaces the task's own list."""
    if override is not None:
        return override
    return own or ()


def _positional(task_type: str, argv: tuple[str, ...]) -> ResolvedTaskParameters:
    return ResolvedTaskParameters(
        argv=argv, resolved_values={task_type: {"parameters": list(argv)}}
    )


def _run_job(
    run_job: RunJobTask, job_parameters: Mapping[str, str], ctx: ResolutionContext
) -> ResolvedTaskParameters:
    def each(values: Sequence[str] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(resolve_text(v, ctx) for v in values)

    def each_value(values: Mapping[str, str] | None) -> dict[str, str] | None:
        return None if values is None else {k: resolve_text(v, ctx) for k, v in values.items()}

    child_parameters = {**(each_value(run_job.job_parameters) or {}), **job_parameters}
    child = RunOverrides(
        job_parameters=child_parameters,
        notebook_params=each_value(run_job.notebook_params),
        python_params=each(run_job.python_params),
        python_named_params=each_value(run_job.python_named_params),
        jar_params=each(run_job.jar_params),
        spark_submit_params=each(run_job.spark_submit_params),
        sql_params=each_value(run_job.sql_params),
        dbt_commands=each(run_job.dbt_commands),
        pipeline_params=run_job.pipeline_params,
    )
    return ResolvedTaskParameters(
        named_parameters=child_parameters,
        run_job_overrides=child,
        resolved_values={"run_job_task": {"job_parameters": child_parameters}},
    )
