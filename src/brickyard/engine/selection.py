"""Which tasks a partial run (run-now ``only``, §1.20) or a repair (§1.14) covers.

Both return a set of task keys; the engine restricts or re-plans the DAG with it. Mistakes
here are the caller's, so they raise :class:`~brickyard.errors.InvalidInputError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from brickyard.engine.dag import Dag
from brickyard.engine.planner import TaskState
from brickyard.errors import InvalidInputError
from brickyard.states import UNSUCCESSFUL_TASK_RESULTS


def select_only(dag: Dag, only: Sequence[str]) -> frozenset[str]:
    """The tasks of a run-now with ``only``.

    Each entry is a task key, ``+key`` (the key and everything upstream of it), ``key+`` (the
    key and everything downstream) or ``+key+`` (both).
    """
    if not only:
        raise InvalidInputError("only: give at least one task key")
    chosen: set[str] = set()
    unknown: list[str] = []
    for entry in only:
        upstream = entry.startswith("+")
        downstream = entry.endswith("+") and len(entry) > 1
        key = entry[1 if upstream else 0 : len(entry) - 1 if downstream else len(entry)]
        if key not in dag:
            unknown.append(entry)
            continue
        chosen.add(key)
        if upstream:
            chosen |= dag.upstream_closure([key])
        if downstream:
            chosen |= dag.downstream_closure([key])
    if unknown:
        raise InvalidInputError(f"only: {_unknown(unknown, dag)}")
    return frozenset(chosen)


def repair_selection(
    dag: Dag,
    latest: Mapping[str, TaskState],
    *,
    rerun_tasks: Sequence[str] | None,
    rerun_all_failed_tasks: bool,
    rerun_dependent_tasks: bool,
) -> frozenset[str]:
    """The tasks a repair re-runs.

    ``dag`` is built from the job's current settings; ``latest`` holds each task's latest
    attempt in the run. Exactly one of ``rerun_tasks`` (an empty list counts as not given) and
    ``rerun_all_failed_tasks`` must be given; the latter picks every task whose latest result is
    unsuccessful (failed, timed out, cancelled, upstream failed or cancelled).
    ``rerun_dependent_tasks`` adds everything downstream of the chosen tasks.
    """
    if rerun_tasks and rerun_all_failed_tasks:
        raise InvalidInputError("rerun_tasks and rerun_all_failed_tasks are mutually exclusive")
    if rerun_tasks:
        if len(set(rerun_tasks)) != len(rerun_tasks):
            raise InvalidInputError("rerun_tasks cannot contain duplicate task keys")
        unknown = [key for key in rerun_tasks if key not in dag]
        if unknown:
            raise InvalidInputError(f"rerun_tasks: {_unknown(unknown, dag)}")
        chosen = frozenset(rerun_tasks)
    elif rerun_all_failed_tasks:
        chosen = frozenset(
            key
            for key, state in latest.items()
            if key in dag and state.result in UNSUCCESSFUL_TASK_RESULTS
        )
        if not chosen:
            raise InvalidInputError(
                "rerun_all_failed_tasks: nothing to repair, no task of the run failed"
            )
    else:
        raise InvalidInputError("nothing to repair: give rerun_tasks or rerun_all_failed_tasks")
    if rerun_dependent_tasks:
        return dag.downstream_closure(chosen)
    return chosen


def _unknown(entries: Iterable[str], dag: Dag) -> str:
    names = ", ".join(repr(entry) for entry in entries)
    valid = ", ".join(dag.tasks) or "(none)"
    return f"unknown task keys {names}; valid task keys: {valid}"
