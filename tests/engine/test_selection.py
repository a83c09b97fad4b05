"""Tests for partial-run (``only``) and repair task selection."""

from __future__ import annotations

import pytest

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.engine.planner import TaskState
from brickyard.engine.selection import repair_selection, select_only
from brickyard.errors import InvalidInputError
from brickyard.states import ResultState

R = ResultState


@pytest.fixture
def dag() -> Dag:
    # a -> b -> c -> d ;  x alone
    return Dag(
        [
            DagTask("a"),
            DagTask("b", (Edge("a"),)),
            DagTask("c", (Edge("b"),)),
            DagTask("d", (Edge("c"),)),
            DagTask("x"),
        ]
    )


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (["b"], {"b"}),
        (["+c"], {"a", "b", "c"}),
        (["b+"], {"b", "c", "d"}),
        (["+b+"], {"a", "b", "c", "d"}),
        (["c", "x"], {"c", "x"}),
        (["+b", "d+", "b"], {"a", "b", "d"}),
    ],
)
def test_select_only(dag: Dag, only: list[str], expected: set[str]) -> None:
    assert select_only(dag, only) == expected


def test_select_only_rejects_unknown_keys_and_lists_valid_ones(dag: Dag) -> None:
    with pytest.raises(InvalidInputError) as info:
        select_only(dag, ["a", "+nope", "+"])
    assert str(info.value) == (
        "only: unknown task keys '+nope', '+'; valid task keys: a, b, c, d, x"
    )


def test_select_only_rejects_empty(dag: Dag) -> None:
    with pytest.raises(InvalidInputError, match="only: give at least one task key"):
        select_only(dag, [])


LATEST = {
    "a": TaskState(R.SUCCESS),
    "b": TaskState(R.FAILED),
    "c": TaskState(R.UPSTREAM_FAILED),
    "d": TaskState(R.UPSTREAM_FAILED),
    "x": TaskState(R.EXCLUDED),
}


def test_repair_given_tasks(dag: Dag) -> None:
    chosen = repair_selection(
        dag,
        LATEST,
        rerun_tasks=["a", "x"],
        rerun_all_failed_tasks=False,
        rerun_dependent_tasks=False,
    )
    assert chosen == {"a", "x"}


def test_repair_given_tasks_with_dependents(dag: Dag) -> None:
    chosen = repair_selection(
        dag, LATEST, rerun_tasks=["b"], rerun_all_failed_tasks=False, rerun_dependent_tasks=True
    )
    assert chosen == {"b", "c", "d"}


@pytest.mark.parametrize(
    "result",
    [R.FAILED, R.TIMEDOUT, R.CANCELED, R.UPSTREAM_FAILED, R.UPSTREAM_CANCELED],
)
def test_repair_all_failed_picks_every_unsuccessful_result(dag: Dag, result: ResultState) -> None:
    latest = {
        "a": TaskState(R.SUCCESS),
        "b": TaskState(result),
        "c": TaskState(R.EXCLUDED),
        "d": TaskState(R.DISABLED),
        "x": TaskState(R.SUCCESS),
        "removed_from_job": TaskState(R.FAILED),
    }
    chosen = repair_selection(
        dag, latest, rerun_tasks=None, rerun_all_failed_tasks=True, rerun_dependent_tasks=False
    )
    assert chosen == {"b"}
    with_dependents = repair_selection(
        dag, latest, rerun_tasks=[], rerun_all_failed_tasks=True, rerun_dependent_tasks=True
    )
    assert with_dependents == {"b", "c", "d"}


def test_repair_all_failed_with_no_failure_is_rejected(dag: Dag) -> None:
    latest = {key: TaskState(R.SUCCESS) for key in "abcdx"}
    with pytest.raises(InvalidInputError, match="nothing to repair, no task of the run failed"):
        repair_selection(
            dag,
            latest,
            rerun_tasks=None,
            rerun_all_failed_tasks=True,
            rerun_dependent_tasks=True,
        )


@pytest.mark.parametrize(
    ("rerun_tasks", "all_failed", "message"),
    [
        (["a"], True, "rerun_tasks and rerun_all_failed_tasks are mutually exclusive"),
        (None, False, "nothing to repair: give rerun_tasks or rerun_all_failed_tasks"),
        ([], False, "nothing to repair: give rerun_tasks or rerun_all_failed_tasks"),
        (["a", "b", "a"], False, "rerun_tasks cannot contain duplicate task keys"),
        (
            ["a", "zz"],
            False,
            "rerun_tasks: unknown task keys 'zz'; valid task keys: a, b, c, d, x",
        ),
    ],
)
def test_repair_rejects_bad_requests(
    dag: Dag, rerun_tasks: list[str] | None, all_failed: bool, message: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        repair_selection(
            dag,
            LATEST,
            rerun_tasks=rerun_tasks,
            rerun_all_failed_tasks=all_failed,
            rerun_dependent_tasks=False,
        )
    assert str(info.value) == message


def test_repair_may_name_a_task_added_after_the_run(dag: Dag) -> None:
    latest = {key: state for key, state in LATEST.items() if key != "x"}
    chosen = repair_selection(
        dag, latest, rerun_tasks=["x"], rerun_all_failed_tasks=False, rerun_dependent_tasks=True
    )
    assert chosen == {"x"}
