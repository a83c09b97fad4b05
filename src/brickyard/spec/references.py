"""The grammar of dynamic value references (databricks-semantics.md §1.11): find and check them.

A reference is ``{{``, optional spaces, dotted parts, optional spaces, ``}}``; a part is an
identifier ``[A-Za-z0-9_]+`` or anything in backticks (```` `my key$` ````, the backticks are
not part of the part). Anything else (``{{my.value}``, ``{{secrets/scope/key}}``, ``{{a b}}``)
is not a reference and stays literal text.

Whether a reference is *valid* depends on its namespace: references in an unknown namespace
(``{{my.value}}``) stay literal, but an unknown name in a known namespace (``{{job.naem}}``)
is a problem. This module only reads references; :mod:`brickyard.params` resolves them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

TIME_ARGS: frozenset[str] = frozenset(
    {
        "iso_weekday",
        "is_weekday",
        "iso_date",
        "iso_datetime",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "timestamp_ms",
    }
)
"""The arguments of ``job.start_time``, ``job.trigger.time`` and ``backfill``."""

DEPRECATED_NAMES: frozenset[str] = frozenset(
    {
        "job_id",
        "run_id",
        "parent_run_id",
        "task_key",
        "start_date",
        "start_time",
        "task_retry_count",
    }
)
"""The deprecated top-level references, still resolved."""

KNOWN_NAMESPACES: frozenset[str] = frozenset(
    {"job", "task", "tasks", "input", "workspace", "backfill"} | DEPRECATED_NAMES
)
"""First parts that make a reference "known": anything else stays literal."""

TASK_FIELDS: frozenset[str] = frozenset({"name", "run_id", "execution_count", "notebook_path"})
"""``{{task.<field>}}``."""

UPSTREAM_TASK_FIELDS: frozenset[str] = frozenset(
    {"run_id", "result_state", "error_code", "execution_count", "notebook_path"}
)
"""``{{tasks.<key>.<field>}}`` (besides ``values.<key>`` and ``output...``)."""

JOB_FIELDS: frozenset[str] = frozenset({"id", "name", "run_id", "repair_count", "start_date"})
"""``{{job.<field>}}`` with no further parts."""

_PART = r"(?:[A-Za-z0-9_]+|`[^`]+`)"
_REFERENCE = re.compile(r"\{\{[ \t]*(" + _PART + r"(?:\." + _PART + r")*)[ \t]*\}\}")
_PART_ITER = re.compile(_PART)


@dataclass(frozen=True)
class Reference:
    """One ``{{...}}`` reference in a text: its raw text, unquoted parts and position."""

    raw: str
    parts: tuple[str, ...]
    start: int
    end: int

    @property
    def namespace(self) -> str:
        """The first part (``job``, ``tasks``, ``input``, ...)."""
        return self.parts[0]


def find_references(text: str) -> list[Reference]:
    """Every syntactically valid reference in ``text``, in order."""
    found: list[Reference] = []
    for match in _REFERENCE.finditer(text):
        parts = tuple(_unquote(part) for part in _PART_ITER.findall(match.group(1)))
        found.append(Reference(match.group(0), parts, match.start(), match.end()))
    return found


def _unquote(part: str) -> str:
    return part[1:-1] if part.startswith("`") else part


def is_known(ref: Reference) -> bool:
    """Whether the reference is in a namespace brickyard resolves (else it stays literal)."""
    return ref.namespace in KNOWN_NAMESPACES


def reference_problem(ref: Reference, task_keys: Collection[str]) -> str | None:
    """Why ``ref`` is invalid, or None when it is valid or in an unknown namespace.

    ``task_keys`` are the tasks of the job, which ``{{tasks.<key>...}}`` must name.
    """
    if not is_known(ref):
        return None
    if not is_valid_form(ref.parts):
        return f"unknown dynamic value reference {ref.raw}"
    if ref.namespace == "tasks" and ref.parts[1] not in task_keys:
        return f"dynamic value reference {ref.raw} names task {ref.parts[1]!r}, not in this job"
    return None


def is_valid_form(parts: tuple[str, ...]) -> bool:
    """Whether ``parts`` (of a reference in a known namespace) is one of the documented forms."""
    head, rest = parts[0], parts[1:]
    if head in DEPRECATED_NAMES:
        return not rest
    if head == "input":
        return True
    if head == "workspace":
        return rest in (("id",), ("url",))
    if head == "backfill":
        return len(rest) == 1 and rest[0] in TIME_ARGS
    if head == "task":
        return len(rest) == 1 and rest[0] in TASK_FIELDS
    if head == "tasks":
        return _is_valid_upstream(rest)
    return _is_valid_job(rest)


def _is_valid_job(rest: tuple[str, ...]) -> bool:
    if len(rest) == 1:
        return rest[0] in JOB_FIELDS
    if len(rest) == 2 and rest[0] == "start_time":
        return rest[1] in TIME_ARGS
    if len(rest) == 2 and rest[0] == "parameters":
        return True
    if rest[:1] == ("trigger",):
        return _is_valid_trigger(rest[1:])
    return False


def _is_valid_trigger(rest: tuple[str, ...]) -> bool:
    if rest in (("type",), ("file_arrival", "location")):
        return True
    if len(rest) == 2 and rest[0] == "time":
        return rest[1] in TIME_ARGS
    if rest[:1] == ("table_update",):
        tail = rest[1:]
        if tail == ("updated_tables",):
            return True
        if len(tail) == 2 and tail[1] == "version":
            return True
        return len(tail) == 3 and tail[1] == "commit_timestamp" and tail[2] in TIME_ARGS
    return False


def _is_valid_upstream(rest: tuple[str, ...]) -> bool:
    if len(rest) < 2:
        return False
    fields = rest[1:]
    if len(fields) == 1:
        return fields[0] in UPSTREAM_TASK_FIELDS
    if fields[0] == "values":
        return len(fields) == 2
    if fields[0] == "output":
        return fields[1:] in (("rows",), ("first_row",)) or (
            len(fields) == 3 and fields[1] == "first_row"
        )
    return False
