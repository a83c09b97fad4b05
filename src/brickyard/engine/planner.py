"""Decide which tasks of a run start and which are skipped, and why (Databricks §1.5).

A pure function of the :class:`~brickyard.engine.dag.Dag` and the latest state of each task.
A task is decided only once EVERY dependency is terminal (unlike Airflow's ``one_success``).

The rules, in the order they apply:

1. A disabled task is skipped as ``DISABLED``.
2. A task with no dependencies (in this run) runs.
3. Each dependency edge gets an effective status: the dependency's result, except that an edge
   with an ``outcome`` on a condition task that SUCCEEDED with a different outcome is
   ``EXCLUDED`` (the branch not taken). A failed condition task is ``FAILED`` for every edge.
4. If every edge is ``EXCLUDED`` the task is ``EXCLUDED``, whatever its ``run_if``.
5. Edge statuses fall in four classes: success = {SUCCESS, EXCLUDED} (excluded counts as
   successful downstream); failed = {FAILED, TIMEDOUT, UPSTREAM_FAILED}; canceled =
   {CANCELED, UPSTREAM_CANCELED}; disabled = {DISABLED}.
6. ``ALL_SUCCESS`` runs when every edge is success; ``AT_LEAST_ONE_SUCCESS`` when one is;
   ``NONE_FAILED`` when none is failed or canceled and at least one is success (all disabled:
   no). Otherwise the task is ``UPSTREAM_CANCELED`` if an edge is canceled, else
   ``UPSTREAM_FAILED`` if one is failed, else ``DISABLED`` (disabled parents are the cause).
7. ``ALL_DONE`` always runs: disabled, canceled and failed parents all count as done.
8. ``AT_LEAST_ONE_FAILED`` runs when an edge is failed or canceled (failure handlers still run
   after a cancellation); ``ALL_FAILED`` when every edge is. Otherwise ``DISABLED`` when every
   edge is disabled, else ``EXCLUDED``.

Two results never produced by tasks are still classified so that nothing is left undefined:
``SUCCESS_WITH_FAILURES`` (a Run Job task may carry its child run's result) counts as success,
``MAXIMUM_CONCURRENT_RUNS_REACHED`` as failed.

:func:`plan` cascades skips: when it skips a task, that task is terminal at once, so the
dependents it unblocks are decided in the same call. The engine applies every decision it gets
and never has to call again for a skip.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.states import ResultState, RunIf

_R = ResultState


@dataclass(frozen=True)
class TaskState:
    """The latest attempt of a task in this run.

    ``result`` is None while the task is active (running, waiting for a retry); tasks not yet
    started are simply absent from the mapping given to :func:`plan`.
    """

    result: ResultState | None
    condition_outcome: str | None = None
    """``"true"`` / ``"false"`` for a condition task that completed."""


class Action(StrEnum):
    """What the engine does with a decided task."""

    RUN = "RUN"
    """Start the task."""
    SKIP = "SKIP"
    """End the task without running it, with the decision's result."""


@dataclass(frozen=True)
class Decision:
    """The planner's verdict on one task; ``reason`` becomes the task run's state message."""

    task_key: str
    action: Action
    result: ResultState | None
    """The result of a skipped task; None when it runs."""
    reason: str


class _Class(Enum):
    SUCCESS = "success"
    FAILED = "failed"
    CANCELED = "canceled"
    DISABLED = "disabled"


_CLASS_OF: Mapping[ResultState, _Class] = {
    _R.SUCCESS: _Class.SUCCESS,
    _R.EXCLUDED: _Class.SUCCESS,
    _R.SUCCESS_WITH_FAILURES: _Class.SUCCESS,
    _R.FAILED: _Class.FAILED,
    _R.TIMEDOUT: _Class.FAILED,
    _R.UPSTREAM_FAILED: _Class.FAILED,
    _R.MAXIMUM_CONCURRENT_RUNS_REACHED: _Class.FAILED,
    _R.CANCELED: _Class.CANCELED,
    _R.UPSTREAM_CANCELED: _Class.CANCELED,
    _R.DISABLED: _Class.DISABLED,
}


def plan(
    dag: Dag,
    states: Mapping[str, TaskState],
    candidates: Iterable[str] | None = None,
) -> list[Decision]:
    """Decide every candidate whose dependencies are all terminal, in topological order.

    ``candidates`` defaults to every task absent from ``states``; candidates present in
    ``states`` (already started or finished) are ignored, as are candidates with an unfinished
    dependency. After a task finishes the engine passes its dependents. Skips cascade: the
    dependents of a task skipped here are decided in the same call (see the module docstring).
    Raises ValueError for a candidate that is not in ``dag``.
    """
    order = dag.topological_order()
    if candidates is None:
        pending = [i for i, key in enumerate(order) if key not in states]
    else:
        # A sorted list is already a heap: positions pop in topological order.
        pending = sorted({dag.position(key) for key in candidates})
    skipped: dict[str, TaskState] = {}
    queued = set(pending)
    decisions: list[Decision] = []

    def state_of(key: str) -> TaskState | None:
        return skipped[key] if key in skipped else states.get(key)

    while pending:
        key = order[heapq.heappop(pending)]
        if key in states:
            continue
        decision = decide(dag, dag.tasks[key], state_of)
        if decision is None:
            continue
        decisions.append(decision)
        if decision.action is Action.SKIP:
            skipped[key] = TaskState(decision.result)
            for dependent in dag.dependents(key):
                position = dag.position(dependent)
                if position not in queued:
                    queued.add(position)
                    heapq.heappush(pending, position)
    return decisions


def decide(dag: Dag, task: DagTask, state_of: Callable[[str], TaskState | None]) -> Decision | None:
    """The decision for one task given its dependencies' states, or None while one of them is
    not terminal. ``state_of`` returns a task's latest state (None when not started)."""
    edges: list[tuple[Edge, ResultState]] = []
    for edge in task.depends_on:
        state = state_of(edge.task_key)
        if state is None or state.result is None:
            return None
        dependency = dag.tasks[edge.task_key]
        edges.append((edge, _edge_status(dependency, edge, state.result, state.condition_outcome)))
    key = task.key
    if task.disabled:
        return _skip(key, _R.DISABLED, "Disabled")
    if not edges:
        return _run(key, "No dependencies in this run")
    if all(status is _R.EXCLUDED for _, status in edges):
        return _skip(key, _R.EXCLUDED, _excluded_reason(edges, state_of))
    by_class: dict[_Class, list[str]] = {cls: [] for cls in _Class}
    for edge, status in edges:
        by_class[_CLASS_OF[status]].append(edge.task_key)
    success, failed, canceled, disabled = (
        by_class[_Class.SUCCESS],
        by_class[_Class.FAILED],
        by_class[_Class.CANCELED],
        by_class[_Class.DISABLED],
    )
    run_if = task.run_if
    if run_if is RunIf.ALL_DONE:
        return _run(key, "run_if ALL_DONE: every dependency finished")
    if run_if in (RunIf.AT_LEAST_ONE_FAILED, RunIf.ALL_FAILED):
        unhappy = len(failed) + len(canceled)
        if run_if is RunIf.AT_LEAST_ONE_FAILED and unhappy > 0:
            unhappy_keys = _names(failed + canceled)
            return _run(key, f"run_if AT_LEAST_ONE_FAILED: {unhappy_keys} did not succeed")
        if run_if is RunIf.ALL_FAILED and unhappy == len(edges):
            return _run(key, "run_if ALL_FAILED: every dependency failed")
        if len(disabled) == len(edges):
            return _skip(key, _R.DISABLED, _upstream(disabled, "is disabled", "are disabled"))
        if run_if is RunIf.AT_LEAST_ONE_FAILED:
            return _skip(key, _R.EXCLUDED, "run_if AT_LEAST_ONE_FAILED: no dependency failed")
        return _skip(key, _R.EXCLUDED, "run_if ALL_FAILED: not every dependency failed")
    satisfied = {
        RunIf.ALL_SUCCESS: len(success) == len(edges),
        RunIf.AT_LEAST_ONE_SUCCESS: bool(success),
        RunIf.NONE_FAILED: bool(success) and not failed and not canceled,
    }[run_if]
    if satisfied:
        return _run(key, f"run_if {run_if}: dependencies satisfied")
    if canceled:
        reason = _upstream(canceled, "was canceled", "were canceled")
        return _skip(key, _R.UPSTREAM_CANCELED, reason)
    if failed:
        return _skip(key, _R.UPSTREAM_FAILED, _upstream(failed, "failed", "failed"))
    return _skip(key, _R.DISABLED, _upstream(disabled, "is disabled", "are disabled"))


def _edge_status(
    dependency: DagTask, edge: Edge, result: ResultState, condition_outcome: str | None
) -> ResultState:
    if (
        edge.outcome is not None
        and dependency.is_condition
        and result is _R.SUCCESS
        and condition_outcome != edge.outcome
    ):
        return _R.EXCLUDED
    return result


def _excluded_reason(
    edges: Sequence[tuple[Edge, ResultState]], state_of: Callable[[str], TaskState | None]
) -> str:
    if len(edges) == 1:
        edge = edges[0][0]
        state = state_of(edge.task_key)
        if state is not None and state.result is _R.SUCCESS:
            return f"Excluded: branch '{state.condition_outcome}' of {edge.task_key} was taken"
        return f"Excluded: upstream task {edge.task_key} was excluded"
    return f"Excluded: every dependency was excluded ({_names([e.task_key for e, _ in edges])})"


def _names(keys: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(keys))


def _upstream(keys: Sequence[str], singular: str, plural: str) -> str:
    """``Upstream task a failed`` / ``Upstream tasks a, b failed``."""
    distinct = list(dict.fromkeys(keys))
    if len(distinct) == 1:
        return f"Upstream task {distinct[0]} {singular}"
    return f"Upstream tasks {', '.join(distinct)} {plural}"


def _run(key: str, reason: str) -> Decision:
    return Decision(key, Action.RUN, None, reason)


def _skip(key: str, result: ResultState, reason: str) -> Decision:
    return Decision(key, Action.SKIP, result, reason)
