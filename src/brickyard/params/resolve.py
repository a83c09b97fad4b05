"""Resolve dynamic value references (databricks-semantics.md §1.11) to strings.

Formats (all times UTC):

========================  =================================================================
``iso_weekday``           ``1`` (Monday) to ``7`` (Sunday)
``is_weekday``            ``true`` Monday to Friday, else ``false``
``iso_date``              ``2026-11-21``
``iso_datetime``          ``2026-11-21T02:05:09.123Z`` (always milliseconds, always ``Z``)
``year``                  ``2026``
``month``, ``day``        two digits: ``01`` .. ``12``, ``01`` .. ``31``
``hour``, ``minute``,     two digits: ``00`` .. ``23`` / ``59``
``second``
``timestamp_ms``          epoch milliseconds: ``1763690709123``
========================  =================================================================

Other values: booleans are ``true``/``false``, numbers their JSON text, lists and objects
compact JSON (``[1,2]``, ``{"a":1}``), null ``null``; ``{{tasks.<key>.result_state}}`` is the
lower-case result (``success``, ``upstream_failed``...); ``{{job.trigger.type}}`` is
``periodic``, ``onetime``, ``run_job_task``, ``file_arrival``, ``table``, ``continuous``,
``retry`` or ``job_completion``. ``{{job.start_date}}`` and the deprecated ``{{start_date}}``
are the run's start date (``iso_date``).

References in unknown namespaces, and text that is not a reference, stay as they are. A
trigger-specific reference outside its trigger (``{{job.trigger.file_arrival.location}}`` in a
run started by hand, ``{{backfill.iso_date}}`` outside a backfill) is ``""``. A reference whose
value does not exist (a task value never set, a task that has not run, ``{{input}}`` outside
a for-each) raises :class:`ReferenceResolutionError`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from brickyard.errors import InvalidInputError
from brickyard.params.context import ResolutionContext, TaskIdentity, UpstreamTask
from brickyard.spec.references import Reference, find_references, is_known, is_valid_form
from brickyard.states import TriggerType

_WEEKEND_ISO_DAYS = (6, 7)

TRIGGER_TYPE_TEXT: Mapping[TriggerType, str] = {
    TriggerType.PERIODIC: "periodic",
    TriggerType.ONE_TIME: "onetime",
    TriggerType.RETRY: "retry",
    TriggerType.RUN_JOB_TASK: "run_job_task",
    TriggerType.FILE_ARRIVAL: "file_arrival",
    TriggerType.TABLE: "table",
    TriggerType.CONTINUOUS: "continuous",
    TriggerType.CONTINUOUS_RESTART: "continuous",
    TriggerType.JOB_COMPLETION: "job_completion",
}
"""``{{job.trigger.type}}`` for each trigger type."""


class ReferenceResolutionError(InvalidInputError):
    """A valid dynamic value reference whose value does not exist (or an invalid reference)."""


def resolve_text(text: str, ctx: ResolutionContext) -> str:
    """``text`` with every known reference replaced by its value (see the module docstring)."""
    refs = find_references(text)
    if not refs:
        return text
    pieces: list[str] = []
    position = 0
    for ref in refs:
        pieces.append(text[position : ref.start])
        value = resolve_reference(ref, ctx)
        pieces.append(ref.raw if value is None else value)
        position = ref.end
    pieces.append(text[position:])
    return "".join(pieces)


def resolve_reference(ref: Reference, ctx: ResolutionContext) -> str | None:
    """The value of one reference; None when it is in an unknown namespace (stays literal)."""
    if not is_known(ref):
        return None
    if not is_valid_form(ref.parts):
        raise ReferenceResolutionError(f"unknown dynamic value reference {ref.raw}")
    head, rest = ref.parts[0], ref.parts[1:]
    resolver = _RESOLVERS[head]
    return resolver(ref, rest, ctx)


def reference_text(value: Any) -> str:
    """A value as a reference renders it: strings as-is, booleans lower-case, else JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def format_time(ms: int, arg: str) -> str:
    """One time argument (``iso_date``, ``hour``, ...) of an epoch-milliseconds time, UTC."""
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    formats: dict[str, Callable[[], str]] = {
        "iso_weekday": lambda: str(moment.isoweekday()),
        "is_weekday": lambda: "false" if moment.isoweekday() in _WEEKEND_ISO_DAYS else "true",
        "iso_date": lambda: moment.strftime("%Y-%m-%d"),
        "iso_datetime": lambda: moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z",
        "year": lambda: f"{moment.year:04d}",
        "month": lambda: f"{moment.month:02d}",
        "day": lambda: f"{moment.day:02d}",
        "hour": lambda: f"{moment.hour:02d}",
        "minute": lambda: f"{moment.minute:02d}",
        "second": lambda: f"{moment.second:02d}",
        "timestamp_ms": lambda: str(ms),
    }
    return formats[arg]()


def _current_task(ref: Reference, ctx: ResolutionContext) -> TaskIdentity:
    if ctx.task is None:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw} is only available inside a task"
        )
    return ctx.task


def _resolve_deprecated(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    name = ref.parts[0]
    if name == "job_id":
        return "" if ctx.job_id is None else str(ctx.job_id)
    if name == "parent_run_id":
        return str(ctx.run_id)
    if name == "start_date":
        return format_time(ctx.start_time_ms, "iso_date")
    if name == "start_time":
        return str(ctx.start_time_ms)
    task = _current_task(ref, ctx)
    if name == "run_id":
        return str(task.task_run_id)
    if name == "task_key":
        return task.task_key
    return str(task.execution_count - 1)  # task_retry_count: retries so far


def _resolve_job(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    field = rest[0]
    if field == "id":
        return "" if ctx.job_id is None else str(ctx.job_id)
    if field == "name":
        return ctx.job_name
    if field == "run_id":
        return str(ctx.run_id)
    if field == "repair_count":
        return str(ctx.repair_count)
    if field == "start_date":
        return format_time(ctx.start_time_ms, "iso_date")
    if field == "start_time":
        return format_time(ctx.start_time_ms, rest[1])
    if field == "parameters":
        if rest[1] not in ctx.job_parameters:
            raise ReferenceResolutionError(
                f"dynamic value reference {ref.raw}: the job has no parameter {rest[1]!r}"
            )
        return ctx.job_parameters[rest[1]]
    return _resolve_trigger(rest[1:], ctx)


def _resolve_trigger(rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    kind = rest[0]
    if kind == "type":
        return TRIGGER_TYPE_TEXT.get(ctx.trigger_type, ctx.trigger_type.value.lower())
    if kind == "time":
        return format_time(ctx.trigger_time_ms, rest[1])
    if kind == "file_arrival":
        if ctx.trigger_type is not TriggerType.FILE_ARRIVAL:
            return ""
        return ctx.file_arrival_location or ""
    # table_update
    if ctx.trigger_type is not TriggerType.TABLE:
        return ""
    if rest[1:] == ("updated_tables",):
        return reference_text(list(ctx.table_updates))
    update = ctx.table_updates.get(rest[1])
    if update is None:
        return ""
    if rest[2] == "version":
        return "" if update.version is None else str(update.version)
    if update.commit_timestamp_ms is None:
        return ""
    return format_time(update.commit_timestamp_ms, rest[3])


def _resolve_task(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    task = _current_task(ref, ctx)
    field = rest[0]
    if field == "name":
        return task.task_key
    if field == "run_id":
        return str(task.task_run_id)
    if field == "execution_count":
        return str(task.execution_count)
    return task.notebook_path or ""


def _resolve_tasks(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    key, field = rest[0], rest[1]
    upstream = ctx.tasks.get(key)
    if upstream is None:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw}: task {key!r} has not run in this run"
        )
    if field == "values":
        return _task_value(ref, upstream, key, rest[2])
    if field == "output":
        return _sql_output(ref, upstream, key, rest[2:])
    if field == "run_id":
        return str(upstream.run_id)
    if field == "result_state":
        if upstream.result_state is None:
            raise ReferenceResolutionError(
                f"dynamic value reference {ref.raw}: task {key!r} has not finished"
            )
        return upstream.result_state.lower()
    if field == "error_code":
        return upstream.error_code
    if field == "execution_count":
        return str(upstream.execution_count)
    return upstream.notebook_path or ""


def _task_value(ref: Reference, upstream: UpstreamTask, key: str, name: str) -> str:
    if name not in upstream.values:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw}: task {key!r} did not set a value {name!r}"
        )
    return reference_text(upstream.values[name])


def _sql_output(ref: Reference, upstream: UpstreamTask, key: str, selector: tuple[str, ...]) -> str:
    rows = upstream.sql_output_rows
    if rows is None:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw}: task {key!r} has no SQL output"
        )
    if selector == ("rows",):
        return reference_text([dict(row) for row in rows])
    if not rows:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw}: task {key!r} returned no rows"
        )
    first = rows[0]
    if len(selector) == 1:
        return reference_text(dict(first))
    if selector[1] not in first:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw}: the first row has no column {selector[1]!r}"
        )
    return reference_text(first[selector[1]])


def _resolve_input(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    if not ctx.in_for_each:
        raise ReferenceResolutionError(
            f"dynamic value reference {ref.raw} is only available inside a for-each task"
        )
    value = ctx.for_each_input
    for name in rest:
        if not isinstance(value, Mapping) or name not in value:
            raise ReferenceResolutionError(
                f"dynamic value reference {ref.raw}: the for-each input has no key {name!r}"
            )
        value = value[name]
    return reference_text(value)


def _resolve_workspace(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    return ctx.workspace_id if rest[0] == "id" else ctx.workspace_url


def _resolve_backfill(ref: Reference, rest: tuple[str, ...], ctx: ResolutionContext) -> str:
    if ctx.backfill_time_ms is None:
        return ""
    return format_time(ctx.backfill_time_ms, rest[0])


_Resolver = Callable[[Reference, tuple[str, ...], ResolutionContext], str]

_RESOLVERS: Mapping[str, _Resolver] = {
    "job": _resolve_job,
    "task": _resolve_task,
    "tasks": _resolve_tasks,
    "input": _resolve_input,
    "workspace": _resolve_workspace,
    "backfill": _resolve_backfill,
    "job_id": _resolve_deprecated,
    "run_id": _resolve_deprecated,
    "parent_run_id": _resolve_deprecated,
    "task_key": _resolve_deprecated,
    "start_date": _resolve_deprecated,
    "start_time": _resolve_deprecated,
    "task_retry_count": _resolve_deprecated,
}
