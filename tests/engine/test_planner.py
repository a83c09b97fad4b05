"""Example-based tests for the planner: every row of the §1.5 tables."""

from __future__ import annotations

import time

import pytest

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.engine.planner import Action, Decision, TaskState, plan
from brickyard.states import ResultState, RunIf

R = ResultState
RUN = "RUN"
S = R.SUCCESS
F = R.FAILED
T = R.TIMEDOUT
C = R.CANCELED
UF = R.UPSTREAM_FAILED
UC = R.UPSTREAM_CANCELED
EX = R.EXCLUDED
D = R.DISABLED


def _verdict(run_if: RunIf, parents: list[ResultState]) -> ResultState | str:
    """Plan a child of ``run_if`` whose parents p0, p1... ended with ``parents``."""
    keys = [f"p{i}" for i in range(len(parents))]
    dag = Dag(
        [DagTask(k) for k in keys] + [DagTask("child", tuple(Edge(k) for k in keys), run_if=run_if)]
    )
    states = {k: TaskState(r) for k, r in zip(keys, parents, strict=True)}
    decisions = plan(dag, states, ["child"])
    assert len(decisions) == 1
    decision = decisions[0]
    assert decision.task_key == "child"
    if decision.action is Action.RUN:
        assert decision.result is None
        return RUN
    assert decision.result is not None
    return decision.result


# One parent: each run_if against each parent outcome.
SINGLE_PARENT = {
    #                       S    F   T   UF  C   UC  EX  D
    RunIf.ALL_SUCCESS: [RUN, UF, UF, UF, UC, UC, EX, D],
    RunIf.AT_LEAST_ONE_SUCCESS: [RUN, UF, UF, UF, UC, UC, EX, D],
    RunIf.NONE_FAILED: [RUN, UF, UF, UF, UC, UC, EX, D],
    RunIf.ALL_DONE: [RUN, RUN, RUN, RUN, RUN, RUN, EX, RUN],
    RunIf.AT_LEAST_ONE_FAILED: [EX, RUN, RUN, RUN, RUN, RUN, EX, D],
    RunIf.ALL_FAILED: [EX, RUN, RUN, RUN, RUN, RUN, EX, D],
}
PARENT_OUTCOMES = [S, F, T, UF, C, UC, EX, D]


@pytest.mark.parametrize(
    ("run_if", "parent", "expected"),
    [
        (run_if, parent, expected)
        for run_if, row in SINGLE_PARENT.items()
        for parent, expected in zip(PARENT_OUTCOMES, row, strict=True)
    ],
)
def test_single_parent_table(run_if: RunIf, parent: ResultState, expected: object) -> None:
    assert _verdict(run_if, [parent]) == expected


@pytest.mark.parametrize(
    ("run_if", "parents", "expected"),
    [
        # ALL_SUCCESS: excluded counts as success; a disabled parent is not a success.
        (RunIf.ALL_SUCCESS, [S, EX], RUN),
        (RunIf.ALL_SUCCESS, [S, F], UF),
        (RunIf.ALL_SUCCESS, [S, D], D),
        (RunIf.ALL_SUCCESS, [F, D], UF),
        (RunIf.ALL_SUCCESS, [F, C], UC),
        (RunIf.ALL_SUCCESS, [EX, D], D),
        # AT_LEAST_ONE_SUCCESS: runs only if some other parent succeeded.
        (RunIf.AT_LEAST_ONE_SUCCESS, [S, F], RUN),
        (RunIf.AT_LEAST_ONE_SUCCESS, [D, S], RUN),
        (RunIf.AT_LEAST_ONE_SUCCESS, [EX, F], RUN),
        (RunIf.AT_LEAST_ONE_SUCCESS, [D, F], UF),
        (RunIf.AT_LEAST_ONE_SUCCESS, [T, C], UC),
        (RunIf.AT_LEAST_ONE_SUCCESS, [D, D], D),
        # NONE_FAILED: disabled + skipped (excluded) parent => runs; all disabled => not.
        (RunIf.NONE_FAILED, [S, D], RUN),
        (RunIf.NONE_FAILED, [D, EX], RUN),
        (RunIf.NONE_FAILED, [D, D], D),
        (RunIf.NONE_FAILED, [S, F], UF),
        (RunIf.NONE_FAILED, [S, C], UC),
        (RunIf.NONE_FAILED, [S, UC, UF], UC),
        # ALL_DONE: everything counts as done, only all-excluded stops it.
        (RunIf.ALL_DONE, [F, C], RUN),
        (RunIf.ALL_DONE, [D, D], RUN),
        (RunIf.ALL_DONE, [EX, F], RUN),
        (RunIf.ALL_DONE, [EX, EX], EX),
        # AT_LEAST_ONE_FAILED: runs only if another parent failed; disabled is not failed.
        (RunIf.AT_LEAST_ONE_FAILED, [S, F], RUN),
        (RunIf.AT_LEAST_ONE_FAILED, [C, S], RUN),
        (RunIf.AT_LEAST_ONE_FAILED, [D, F], RUN),
        (RunIf.AT_LEAST_ONE_FAILED, [D, S], EX),
        (RunIf.AT_LEAST_ONE_FAILED, [S, EX], EX),
        (RunIf.AT_LEAST_ONE_FAILED, [D, D], D),
        # ALL_FAILED: a disabled parent means it does not run.
        (RunIf.ALL_FAILED, [F, T], RUN),
        (RunIf.ALL_FAILED, [F, C], RUN),
        (RunIf.ALL_FAILED, [UF, UC], RUN),
        (RunIf.ALL_FAILED, [F, S], EX),
        (RunIf.ALL_FAILED, [F, D], EX),
        (RunIf.ALL_FAILED, [F, EX], EX),
        (RunIf.ALL_FAILED, [D, D], D),
        # Every edge excluded => excluded, whatever run_if.
        *((run_if, [EX, EX, EX], EX) for run_if in RunIf),
    ],
)
def test_several_parents(run_if: RunIf, parents: list[ResultState], expected: object) -> None:
    assert _verdict(run_if, parents) == expected


def test_no_dependencies_runs_and_disabled_is_skipped() -> None:
    dag = Dag([DagTask("a"), DagTask("b", disabled=True), DagTask("c", run_if=RunIf.ALL_FAILED)])
    assert plan(dag, {}) == [
        Decision("a", Action.RUN, None, "No dependencies in this run"),
        Decision("b", Action.SKIP, R.DISABLED, "Disabled"),
        Decision("c", Action.RUN, None, "No dependencies in this run"),
    ]


@pytest.mark.parametrize("parent", [S, F, EX, D])
def test_a_disabled_task_is_disabled_whatever_its_parents(parent: ResultState) -> None:
    dag = Dag([DagTask("p"), DagTask("x", (Edge("p"),), run_if=RunIf.ALL_DONE, disabled=True)])
    assert plan(dag, {"p": TaskState(parent)}) == [
        Decision("x", Action.SKIP, R.DISABLED, "Disabled")
    ]


def test_disabled_propagates_down_a_chain_at_run_start() -> None:
    dag = Dag(
        [
            DagTask("a", disabled=True),
            DagTask("b", (Edge("a"),)),
            DagTask("c", (Edge("b"),), run_if=RunIf.NONE_FAILED),
            DagTask("done", (Edge("c"),), run_if=RunIf.ALL_DONE),
            DagTask("other"),
        ]
    )
    assert plan(dag, {}) == [
        Decision("a", Action.SKIP, D, "Disabled"),
        Decision("b", Action.SKIP, D, "Upstream task a is disabled"),
        Decision("c", Action.SKIP, D, "Upstream task b is disabled"),
        Decision("done", Action.RUN, None, "run_if ALL_DONE: every dependency finished"),
        Decision("other", Action.RUN, None, "No dependencies in this run"),
    ]


def _condition_dag(run_if: RunIf = RunIf.ALL_SUCCESS) -> Dag:
    return Dag(
        [
            DagTask("check_rows", is_condition=True),
            DagTask("load", (Edge("check_rows", "true"),), run_if=run_if),
            DagTask("alert", (Edge("check_rows", "false"),), run_if=run_if),
            DagTask("after_load", (Edge("load"),)),
            DagTask("report", (Edge("check_rows"),)),
        ]
    )


def test_condition_true_runs_the_true_branch_and_excludes_the_false_one() -> None:
    dag = _condition_dag()
    states = {"check_rows": TaskState(S, "true")}
    assert plan(dag, states, dag.dependents("check_rows")) == [
        Decision("load", Action.RUN, None, "run_if ALL_SUCCESS: dependencies satisfied"),
        Decision("alert", Action.SKIP, EX, "Excluded: branch 'true' of check_rows was taken"),
        Decision("report", Action.RUN, None, "run_if ALL_SUCCESS: dependencies satisfied"),
    ]


def test_condition_false_excludes_the_true_branch_and_what_hangs_off_it() -> None:
    dag = _condition_dag()
    states = {"check_rows": TaskState(S, "false")}
    assert plan(dag, states, dag.dependents("check_rows")) == [
        Decision("load", Action.SKIP, EX, "Excluded: branch 'false' of check_rows was taken"),
        Decision("alert", Action.RUN, None, "run_if ALL_SUCCESS: dependencies satisfied"),
        Decision("after_load", Action.SKIP, EX, "Excluded: upstream task load was excluded"),
        Decision("report", Action.RUN, None, "run_if ALL_SUCCESS: dependencies satisfied"),
    ]


def test_non_taken_branch_is_excluded_even_for_failure_handlers() -> None:
    dag = _condition_dag(RunIf.ALL_DONE)
    decisions = plan(dag, {"check_rows": TaskState(S, "true")}, ["alert"])
    assert [(d.task_key, d.result) for d in decisions] == [("alert", EX)]


def test_failed_condition_fails_both_branches() -> None:
    dag = _condition_dag()
    decisions = plan(dag, {"check_rows": TaskState(F)}, dag.dependents("check_rows"))
    assert [(d.task_key, d.result, d.reason) for d in decisions] == [
        ("load", UF, "Upstream task check_rows failed"),
        ("alert", UF, "Upstream task check_rows failed"),
        ("after_load", UF, "Upstream task load failed"),
        ("report", UF, "Upstream task check_rows failed"),
    ]


def test_failed_condition_still_runs_an_all_done_branch() -> None:
    dag = _condition_dag(RunIf.ALL_DONE)
    decisions = plan(dag, {"check_rows": TaskState(F)}, ["load", "alert"])
    assert [(d.task_key, d.action) for d in decisions] == [
        ("load", Action.RUN),
        ("alert", Action.RUN),
    ]


def test_excluded_branch_plus_a_successful_parent_runs() -> None:
    dag = Dag(
        [
            DagTask("cond", is_condition=True),
            DagTask("other"),
            DagTask("join", (Edge("cond", "false"), Edge("other"))),
        ]
    )
    states = {"cond": TaskState(S, "true"), "other": TaskState(S)}
    assert [d.action for d in plan(dag, states)] == [Action.RUN]


def test_outcome_on_a_non_condition_task_is_ignored() -> None:
    dag = Dag([DagTask("p"), DagTask("x", (Edge("p", "true"),))])
    assert [d.action for d in plan(dag, {"p": TaskState(S, None)})] == [Action.RUN]


def test_all_excluded_reason_names_every_parent() -> None:
    dag = Dag([DagTask("a"), DagTask("b"), DagTask("x", (Edge("a"), Edge("b")))])
    decision = plan(dag, {"a": TaskState(EX), "b": TaskState(EX)})[0]
    assert decision.reason == "Excluded: every dependency was excluded (a, b)"


def test_cancellation_propagates_but_failure_handlers_and_cleanup_run() -> None:
    dag = Dag(
        [
            DagTask("ingest"),
            DagTask("transform", (Edge("ingest"),)),
            DagTask("publish", (Edge("transform"),)),
            DagTask("cleanup", (Edge("publish"),), run_if=RunIf.ALL_DONE),
            DagTask("on_failure", (Edge("ingest"),), run_if=RunIf.AT_LEAST_ONE_FAILED),
        ]
    )
    decisions = plan(dag, {"ingest": TaskState(C)}, dag.dependents("ingest"))
    assert [(d.task_key, d.action, d.result, d.reason) for d in decisions] == [
        ("transform", Action.SKIP, UC, "Upstream task ingest was canceled"),
        ("publish", Action.SKIP, UC, "Upstream task transform was canceled"),
        ("cleanup", Action.RUN, None, "run_if ALL_DONE: every dependency finished"),
        ("on_failure", Action.RUN, None, "run_if AT_LEAST_ONE_FAILED: ingest did not succeed"),
    ]


def test_reasons_for_several_parents_and_failure_handlers() -> None:
    dag = Dag(
        [
            DagTask("a"),
            DagTask("b"),
            DagTask("x", (Edge("a"), Edge("b"))),
            DagTask("h1", (Edge("a"), Edge("b")), run_if=RunIf.AT_LEAST_ONE_FAILED),
            DagTask("h2", (Edge("a"), Edge("b")), run_if=RunIf.ALL_FAILED),
        ]
    )
    failed = plan(dag, {"a": TaskState(F), "b": TaskState(T)}, ["x", "h2"])
    assert [d.reason for d in failed] == [
        "Upstream tasks a, b failed",
        "run_if ALL_FAILED: every dependency failed",
    ]
    canceled = plan(dag, {"a": TaskState(C), "b": TaskState(UC)}, ["x"])
    assert canceled[0].reason == "Upstream tasks a, b were canceled"
    disabled = plan(dag, {"a": TaskState(D), "b": TaskState(D)}, ["x", "h1"])
    assert [d.reason for d in disabled] == ["Upstream tasks a, b are disabled"] * 2
    fine = plan(dag, {"a": TaskState(S), "b": TaskState(S)}, ["h1", "h2"])
    assert [d.reason for d in fine] == [
        "run_if AT_LEAST_ONE_FAILED: no dependency failed",
        "run_if ALL_FAILED: not every dependency failed",
    ]


def test_nothing_is_decided_until_every_dependency_is_terminal() -> None:
    dag = Dag([DagTask("a"), DagTask("b"), DagTask("x", (Edge("a"), Edge("b")))])
    # b not started, then b running (or waiting for a retry): x waits, even with a failed.
    assert plan(dag, {"a": TaskState(F)}, ["x"]) == []
    assert plan(dag, {"a": TaskState(F), "b": TaskState(None)}, ["x"]) == []
    assert [d.result for d in plan(dag, {"a": TaskState(F), "b": TaskState(S)}, ["x"])] == [UF]


def test_started_or_finished_candidates_are_not_decided_again() -> None:
    dag = Dag([DagTask("a"), DagTask("b", (Edge("a"),))])
    assert plan(dag, {"a": TaskState(None)}) == []
    assert plan(dag, {"a": TaskState(S), "b": TaskState(None)}, ["a", "b"]) == []
    assert plan(dag, {"a": TaskState(S), "b": TaskState(F)}) == []


def test_skips_cascade_but_runs_do_not() -> None:
    dag = Dag(
        [
            DagTask("a"),
            DagTask("b", (Edge("a"),)),
            DagTask("c", (Edge("b"),)),
            DagTask("d", (Edge("c"),), run_if=RunIf.ALL_DONE),
            DagTask("e", (Edge("d"),)),
        ]
    )
    decisions = plan(dag, {"a": TaskState(F)}, ["b"])
    assert [(d.task_key, d.result) for d in decisions] == [("b", UF), ("c", UF), ("d", None)]


def test_candidates_are_deduplicated_and_ordered_topologically() -> None:
    dag = Dag([DagTask("b", (Edge("a"),)), DagTask("a"), DagTask("c")])
    decisions = plan(dag, {}, ["c", "a", "c", "b"])
    assert [d.task_key for d in decisions] == ["a", "c"]


def test_unknown_candidate_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown task key: zz"):
        plan(Dag([DagTask("a")]), {}, ["zz"])


def test_a_restricted_dag_treats_outside_dependencies_as_satisfied() -> None:
    dag = Dag([DagTask("a"), DagTask("b", (Edge("a"),)), DagTask("c", (Edge("b"),))])
    part = dag.restricted_to(["b", "c"])
    assert [(d.task_key, d.action) for d in plan(part, {})] == [("b", Action.RUN)]


def test_planning_a_thousand_tasks_is_fast() -> None:
    # A layered graph: each task depends on up to three tasks of the previous layer.
    tasks = [
        DagTask(f"t{i}", tuple(Edge(f"t{j}") for j in range(max(0, i - 3), i) if i >= 10))
        for i in range(1000)
    ]
    dag = Dag(tasks)
    states = {f"t{i}": TaskState(S if i % 7 else F) for i in range(500)}
    start = time.perf_counter()
    decisions = plan(dag, states)
    elapsed = time.perf_counter() - start
    assert len(decisions) == 500  # skips cascade through the whole second half
    assert elapsed < 0.5
