"""Property tests: random DAGs and outcomes, planned the way the engine plans them.

The oracles below restate §1.5 from the documentation's tables, in words and counts, without
sharing code with the planner.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.engine.planner import Action, Decision, TaskState, plan
from brickyard.engine.results import run_result
from brickyard.states import ResultState, RunIf

R = ResultState
RAN_OUTCOMES = [R.SUCCESS, R.FAILED, R.TIMEDOUT, R.CANCELED]


@dataclass(frozen=True)
class Scenario:
    tasks: list[DagTask]
    outcomes: Mapping[str, tuple[ResultState, str]]
    """What each task ends with if it runs (condition tasks: and the branch they take)."""


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    size = draw(st.integers(min_value=1, max_value=12))
    tasks: list[DagTask] = []
    for i in range(size):
        parents = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=4)) if i else []
        edges = tuple(
            Edge(
                f"t{j}",
                draw(st.sampled_from([None, "true", "false"])) if tasks[j].is_condition else None,
            )
            for j in parents
        )
        tasks.append(
            DagTask(
                f"t{i}",
                edges,
                run_if=draw(st.sampled_from(list(RunIf))),
                disabled=draw(st.integers(0, 9)) == 0,
                is_condition=draw(st.integers(0, 3)) == 0,
            )
        )
    # Give the tasks to Dag in a shuffled order so the key order is not the topological one.
    shuffled = draw(st.permutations(tasks))
    outcomes = {
        task.key: (draw(st.sampled_from(RAN_OUTCOMES)), draw(st.sampled_from(["true", "false"])))
        for task in tasks
    }
    return Scenario(list(shuffled), outcomes)


# --- the oracles ---------------------------------------------------------------------------

_WORD = {
    R.SUCCESS: "succeeded",
    R.EXCLUDED: "excluded",
    R.FAILED: "failed",
    R.TIMEDOUT: "failed",
    R.UPSTREAM_FAILED: "failed",
    R.CANCELED: "canceled",
    R.UPSTREAM_CANCELED: "canceled",
    R.DISABLED: "disabled",
}

# run_if -> (runs when, given counts ok/bad/total) and the family of its "not satisfied" result.
_TABLE: dict[RunIf, tuple[Callable[[int, int, int], bool], str]] = {
    RunIf.ALL_SUCCESS: (lambda ok, bad, total: ok == total, "upstream"),
    RunIf.AT_LEAST_ONE_SUCCESS: (lambda ok, bad, total: ok >= 1, "upstream"),
    RunIf.NONE_FAILED: (lambda ok, bad, total: bad == 0 and ok >= 1, "upstream"),
    RunIf.ALL_DONE: (lambda ok, bad, total: True, "never"),
    RunIf.AT_LEAST_ONE_FAILED: (lambda ok, bad, total: bad >= 1, "excluded"),
    RunIf.ALL_FAILED: (lambda ok, bad, total: bad == total, "excluded"),
}


def oracle_decision(
    task: DagTask, tasks: Mapping[str, DagTask], states: Mapping[str, TaskState]
) -> tuple[Action, ResultState | None]:
    if task.disabled:
        return Action.SKIP, R.DISABLED
    words = []
    for edge in task.depends_on:
        state = states[edge.task_key]
        assert state.result is not None
        other_branch = (
            tasks[edge.task_key].is_condition
            and edge.outcome is not None
            and state.result == R.SUCCESS
            and state.condition_outcome != edge.outcome
        )
        words.append("excluded" if other_branch else _WORD[state.result])
    if not words:
        return Action.RUN, None
    if set(words) == {"excluded"}:
        return Action.SKIP, R.EXCLUDED
    count = Counter(words)
    ok = count["succeeded"] + count["excluded"]
    bad = count["failed"] + count["canceled"]
    runs, family = _TABLE[task.run_if]
    if runs(ok, bad, len(words)):
        return Action.RUN, None
    if family == "upstream":
        if count["canceled"]:
            return Action.SKIP, R.UPSTREAM_CANCELED
        if count["failed"]:
            return Action.SKIP, R.UPSTREAM_FAILED
        return Action.SKIP, R.DISABLED
    if count["disabled"] == len(words):
        return Action.SKIP, R.DISABLED
    return Action.SKIP, R.EXCLUDED


def oracle_run_result(
    tasks: list[DagTask], final: Mapping[str, ResultState], *, canceled: bool, timed_out: bool
) -> ResultState:
    if canceled:
        return R.CANCELED
    if timed_out:
        return R.TIMEDOUT
    depended_on = {edge.task_key for task in tasks for edge in task.depends_on}
    leaf_results = {final[t.key] for t in tasks if t.key not in depended_on}
    if leaf_results & {R.CANCELED, R.UPSTREAM_CANCELED}:
        return R.CANCELED
    if leaf_results & {R.FAILED, R.UPSTREAM_FAILED}:
        return R.FAILED
    if R.TIMEDOUT in leaf_results:
        return R.TIMEDOUT
    unhappy = {R.FAILED, R.TIMEDOUT, R.CANCELED, R.UPSTREAM_FAILED, R.UPSTREAM_CANCELED}
    if any(result in unhappy for result in final.values()):
        return R.SUCCESS_WITH_FAILURES
    return R.SUCCESS


# --- the simulated engine ------------------------------------------------------------------


def simulate(
    scenario: Scenario, rng: random.Random, *, incremental: bool
) -> dict[str, ResultState]:
    """Run the scenario as the engine would, checking every decision as it is applied."""
    dag = Dag(scenario.tasks)
    tasks = dag.tasks
    states: dict[str, TaskState] = {}
    running: list[str] = []

    def apply(decisions: list[Decision]) -> None:
        for decision in decisions:
            key = decision.task_key
            assert key not in states, f"{key} decided twice"
            for edge in tasks[key].depends_on:
                assert states[edge.task_key].result is not None, f"{key} decided too early"
            assert (decision.action, decision.result) == oracle_decision(
                tasks[key], tasks, states
            ), decision
            assert decision.reason
            if decision.action is Action.SKIP:
                states[key] = TaskState(decision.result)
            else:
                states[key] = TaskState(None)
                running.append(key)

    apply(plan(dag, states))
    while running:
        key = running.pop(rng.randrange(len(running)))
        result, branch = scenario.outcomes[key]
        took = branch if tasks[key].is_condition and result is R.SUCCESS else None
        states[key] = TaskState(result, took)
        everything = plan(dag, states)
        if incremental:
            decisions = plan(dag, states, dag.dependents(key))
            assert decisions == everything
        else:
            decisions = everything
        apply(decisions)

    final: dict[str, ResultState] = {}
    for key in tasks:
        finished = states[key].result
        assert finished is not None, f"{key} never finished"
        final[key] = finished
    assert plan(dag, states) == []
    return final


@settings(max_examples=300, deadline=None)
@given(
    scenario=scenarios(),
    seed=st.integers(0, 2**32),
    canceled=st.booleans(),
    timed_out=st.booleans(),
)
def test_planning_matches_the_documented_rules(
    scenario: Scenario, seed: int, canceled: bool, timed_out: bool
) -> None:
    final = simulate(scenario, random.Random(seed), incremental=True)
    # The outcome does not depend on finishing order nor on planning incrementally.
    assert simulate(scenario, random.Random(seed + 1), incremental=False) == final

    dag = Dag(scenario.tasks)
    states = {key: TaskState(result) for key, result in final.items()}
    outcome = run_result(dag, states, canceled=canceled, timed_out=timed_out)
    assert outcome.result is oracle_run_result(
        scenario.tasks, final, canceled=canceled, timed_out=timed_out
    )
    assert (outcome.message == "") == (outcome.result is R.SUCCESS)


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_graph_queries_agree_with_the_edges(scenario: Scenario, data: st.DataObject) -> None:
    dag = Dag(scenario.tasks)
    order = dag.topological_order()
    assert sorted(order) == sorted(t.key for t in scenario.tasks)
    position = {key: i for i, key in enumerate(order)}
    for task in scenario.tasks:
        for edge in task.depends_on:
            assert position[edge.task_key] < position[task.key]
            assert task.key in dag.dependents(edge.task_key)
    depended_on = {e.task_key for t in scenario.tasks for e in t.depends_on}
    assert set(dag.leaves()) == {t.key for t in scenario.tasks} - depended_on

    start = data.draw(st.sampled_from(order))
    upstream = dag.upstream_closure([start])
    downstream = dag.downstream_closure([start])
    assert upstream & downstream == {start}
    for task in scenario.tasks:
        if task.key == start:
            continue
        deps = {e.task_key for e in task.depends_on}
        # Downstream: exactly the tasks with a dependency already downstream.
        assert (task.key in downstream) == bool(deps & downstream)
        # Upstream: exactly the tasks with a dependent already upstream.
        assert (task.key in upstream) == bool(set(dag.dependents(task.key)) & upstream)
        if task.key in upstream:
            assert start in dag.downstream_closure([task.key])

    chosen = set(data.draw(st.lists(st.sampled_from(order), unique=True)))
    part = dag.restricted_to(chosen)
    assert set(part.tasks) == chosen
    for task in part:
        original = dag.tasks[task.key]
        assert task.depends_on == tuple(e for e in original.depends_on if e.task_key in chosen)
