from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from brickyard.runtime.dbutils import DBUtils


def test_set_and_get_own_and_upstream_values(context_factory: Callable[..., Any]) -> None:
    context = context_factory(task_values={"ingest": {"rows": 42}})
    task_values = DBUtils(context).jobs.taskValues
    task_values.set("answer", {"a": [1, 2]})
    task_values.set("answer", "overwritten")
    assert context.task_values == {"answer": "overwritten"}
    assert task_values.get("ingest", "rows") == 42
    assert task_values.get("me", "answer") == "overwritten"


def test_missing_value_uses_default_else_value_error(context_factory: Callable[..., Any]) -> None:
    task_values = DBUtils(context_factory()).jobs.taskValues
    assert task_values.get("ingest", "rows", default=7) == 7
    with pytest.raises(ValueError, match="no task value 'rows' was set by task 'ingest'"):
        task_values.get("ingest", "rows")


def test_outside_a_job_returns_debug_value_or_type_error(
    context_factory: Callable[..., Any],
) -> None:
    task_values = DBUtils(context_factory(in_job=False)).jobs.taskValues
    assert task_values.get("ingest", "rows", default=1, debugValue=99) == 99
    with pytest.raises(TypeError, match="debugValue"):
        task_values.get("ingest", "rows", default=1)


def test_value_must_be_json_serialisable(context_factory: Callable[..., Any]) -> None:
    task_values = DBUtils(context_factory()).jobs.taskValues
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        task_values.set("k", object())
    with pytest.raises(ValueError, match="non-empty string"):
        task_values.set("", 1)


def test_size_limit_is_48_kib_of_json(context_factory: Callable[..., Any]) -> None:
    task_values = DBUtils(context_factory()).jobs.taskValues
    limit = 48 * 1024
    task_values.set("fits", "x" * (limit - 2))  # two quote characters make the JSON
    with pytest.raises(ValueError, match=r"49153 bytes of JSON; the limit is 49152 bytes"):
        task_values.set("too_big", "x" * (limit - 1))


def test_values_round_trip_through_json(context_factory: Callable[..., Any]) -> None:
    context = context_factory()
    DBUtils(context).jobs.taskValues.set("t", (1, 2))
    assert context.task_values["t"] == [1, 2]


def test_change_hook_sees_every_set(context_factory: Callable[..., Any]) -> None:
    context = context_factory()
    seen: list[dict[str, Any]] = []
    context.on_task_values_changed = seen.append
    DBUtils(context).jobs.taskValues.set("a", 1)
    assert seen == [{"a": 1}]
