"""Typed transition changes: every field is a real column, no field is a state column."""

from __future__ import annotations

from dataclasses import fields

import pytest

from brickyard.storage import KEEP, RunChanges, TaskRunChanges
from brickyard.storage._transitions import STATE_COLUMNS
from brickyard.storage.schema import RUNS, TASK_RUNS


@pytest.mark.parametrize(("changes", "table"), [(RunChanges, RUNS), (TaskRunChanges, TASK_RUNS)])
def test_every_field_is_a_column_and_none_is_a_state_column(changes: type, table: object) -> None:
    names = {field.name for field in fields(changes)}
    assert names <= set(table.c.keys())  # type: ignore[attr-defined]
    assert not names & (STATE_COLUMNS | {"run_id", "job_run_id"})


@pytest.mark.parametrize("column", ["life_cycle_state", "end_time", "result_state", "run_id"])
def test_state_columns_cannot_be_named(column: str) -> None:
    with pytest.raises(TypeError, match=column):
        RunChanges(**{column: 1})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=column):
        TaskRunChanges(**{column: 1})  # type: ignore[arg-type]


def test_columns_leave_out_kept_fields_and_write_none() -> None:
    assert TaskRunChanges().columns() == {}
    assert TaskRunChanges(pid=3, error=None).columns() == {"pid": 3, "error": None}
    assert RunChanges(queue_reason=None, queue_duration=KEEP).columns() == {"queue_reason": None}
