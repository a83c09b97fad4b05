"""The result of a finished job run, decided by its leaf tasks (Databricks §1.5).

In order: a cancelled run is ``CANCELED``; a run that hit its own timeout is ``TIMEDOUT``; then,
looking only at leaf tasks (nothing depends on them): any leaf cancelled (``CANCELED``,
``UPSTREAM_CANCELED``) makes the run ``CANCELED``; any leaf ``FAILED`` or ``UPSTREAM_FAILED``
makes it ``FAILED``; any leaf ``TIMEDOUT`` makes it ``TIMEDOUT``. Otherwise, if some other task
failed or was cancelled, the run ``SUCCESS_WITH_FAILURES`` (e.g. a failing ETL task followed by
an ``ALL_DONE`` cleanup leaf), else ``SUCCESS``. Leaves that are ``EXCLUDED`` or ``DISABLED``
count as successful.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from brickyard.engine.dag import Dag
from brickyard.engine.planner import TaskState
from brickyard.states import CANCELED_RESULTS, FAILED_RESULTS, ResultState

_R = ResultState

DEFAULT_TASK_FAILURE_MESSAGE = "Workload failed, see run output for details"
"""The ``state_message`` Databricks gives a failed task, used when no message is known."""

_SKIPPED_DOWNSTREAM = "This caused all downstream tasks to get skipped."

# A leaf that "failed" for the run result; MAXIMUM_CONCURRENT_RUNS_REACHED never ran either.
_FAILED_LEAF = frozenset({_R.FAILED, _R.UPSTREAM_FAILED, _R.MAXIMUM_CONCURRENT_RUNS_REACHED})
_UNHAPPY = FAILED_RESULTS | CANCELED_RESULTS | {_R.MAXIMUM_CONCURRENT_RUNS_REACHED}
# Tasks that really ran and failed: the cause a run message names.
_ROOT_FAILURES = frozenset({_R.FAILED, _R.TIMEDOUT})


@dataclass(frozen=True)
class RunOutcome:
    """A finished run's result state and the ``state_message`` that explains it."""

    result: ResultState
    message: str


def run_result(
    dag: Dag,
    states: Mapping[str, TaskState],
    *,
    canceled: bool,
    timed_out: bool,
    messages: Mapping[str, str] | None = None,
) -> RunOutcome:
    """The result of a run whose tasks are all terminal.

    ``canceled`` / ``timed_out`` say the run itself was cancelled or hit its timeout.
    ``messages`` maps task keys to their error messages, quoted in the run's message.
    Raises ValueError when a task of ``dag`` has no result yet (unless the run was cancelled
    or timed out, which decides the result on its own).
    """
    if canceled:
        return RunOutcome(_R.CANCELED, "Run canceled")
    if timed_out:
        return RunOutcome(_R.TIMEDOUT, "Run timed out")
    results = _results(dag, states)
    texts = messages or {}
    leaves = dag.leaves()

    canceled_leaves = [k for k in leaves if results[k] in CANCELED_RESULTS]
    if canceled_leaves:
        return RunOutcome(_R.CANCELED, _canceled_message(dag, results, canceled_leaves))
    failed_leaves = [k for k in leaves if results[k] in _FAILED_LEAF]
    if failed_leaves:
        return RunOutcome(_R.FAILED, _failure_message(dag, results, failed_leaves, texts))
    timed_out_leaves = [k for k in leaves if results[k] is _R.TIMEDOUT]
    if timed_out_leaves:
        return RunOutcome(_R.TIMEDOUT, _failure_message(dag, results, timed_out_leaves, texts))
    unhappy = [k for k in dag.topological_order() if results[k] in _UNHAPPY]
    if unhappy:
        return RunOutcome(_R.SUCCESS_WITH_FAILURES, _failure_message(dag, results, unhappy, texts))
    return RunOutcome(_R.SUCCESS, "")


def _results(dag: Dag, states: Mapping[str, TaskState]) -> dict[str, ResultState]:
    results: dict[str, ResultState] = {}
    unfinished: list[str] = []
    for key in dag.topological_order():
        state = states.get(key)
        if state is None or state.result is None:
            unfinished.append(key)
        else:
            results[key] = state.result
    if unfinished:
        raise ValueError(f"tasks without a result: {', '.join(unfinished)}")
    return results


def _failure_message(
    dag: Dag,
    results: Mapping[str, ResultState],
    culprits: list[str],
    messages: Mapping[str, str],
) -> str:
    """``Task <key> failed with message: <msg>.`` for the first task that really failed and led
    to ``culprits`` (themselves included), plus a note when its dependents were skipped."""
    upstream = dag.upstream_closure(culprits)
    roots = [k for k in dag.topological_order() if k in upstream and results[k] in _ROOT_FAILURES]
    if not roots:
        # No task really failed: a cancellation or a skip explains the culprits.
        return _canceled_message(dag, results, culprits)
    key = roots[0]
    text = messages.get(key) or DEFAULT_TASK_FAILURE_MESSAGE
    message = f"Task {key} failed with message: {text.rstrip('.')}."
    if any(results[d] is _R.UPSTREAM_FAILED for d in dag.dependents(key)):
        message = f"{message} {_SKIPPED_DOWNSTREAM}"
    return message


def _canceled_message(dag: Dag, results: Mapping[str, ResultState], leaves: list[str]) -> str:
    upstream = dag.upstream_closure(leaves)
    canceled = [k for k in dag.topological_order() if k in upstream and results[k] is _R.CANCELED]
    if canceled:
        return f"Task {canceled[0]} was canceled."
    return f"Task {leaves[0]} did not run: {results[leaves[0]]}."
