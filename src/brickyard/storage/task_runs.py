"""Task runs (one row per attempt): bulk creation and bulk compare-and-set transitions.

The engine moves hundreds of task runs at once, so creation and transitions are batched:
one ``executemany`` per distinct set of changed columns, plus one history insert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, bindparam, insert, select, update

from brickyard.clock import SystemClock
from brickyard.errors import ConflictError, NotFoundError
from brickyard.states import ACTIVE_LIFE_CYCLE, LifeCycleState, ResultState, check_transition
from brickyard.storage._columns import checked_changes, plain
from brickyard.storage._transitions import STATE_COLUMNS, transition_values
from brickyard.storage.changes import NO_TASK_RUN_CHANGES, TaskRunChanges
from brickyard.storage.history import NewStateChange, record_state_changes
from brickyard.storage.ids import allocate_run_ids
from brickyard.storage.records import TaskRunRecord
from brickyard.storage.schema import TASK_RUNS

_ACTIVE_STATES: Final = tuple(sorted(state.value for state in ACTIVE_LIFE_CYCLE))
_UPDATE_FORBIDDEN: Final = (STATE_COLUMNS - {"state_message"}) | {"run_id", "job_run_id"}
_EMPTY: Final[Mapping[str, Any]] = {}


@dataclass(frozen=True)
class NewTaskRun:
    """A task run (attempt) to create; the remaining columns start at their zero values.

    ``run_id`` may be pre-allocated; ``original_attempt_run_id`` defaults to the task run's own
    id (a first attempt). A task run created in a terminal state (e.g. SKIPPED because it is
    disabled) needs a ``result_state`` and gets ``end_time`` = the creation time.
    """

    job_run_id: int
    task_key: str
    task: dict[str, Any]
    run_id: int | None = None
    life_cycle_state: LifeCycleState = LifeCycleState.BLOCKED
    result_state: ResultState | None = None
    state_message: str = ""
    termination_code: str | None = None
    termination_type: str | None = None
    user_cancelled_or_timedout: bool | None = None
    attempt_number: int = 0
    original_attempt_run_id: int | None = None
    repair_id: int | None = None
    start_time: int = 0
    queue_duration: int = 0
    retry_at: int | None = None


@dataclass(frozen=True)
class TaskRunTransition:
    """One compare-and-set move of a task run, for :func:`transition_task_runs`."""

    task_run_id: int
    expected: LifeCycleState
    to: LifeCycleState
    result: ResultState | None = None
    message: str | None = None
    termination_code: str | None = None
    termination_type: str | None = None
    user_cancelled_or_timedout: bool | None = None
    changes: TaskRunChanges = NO_TASK_RUN_CHANGES
    job_run_id: int | None = None
    """The task run's job run, when the caller knows it: saves a lookup on the fast path."""


def create_task_runs(
    conn: Connection, items: Sequence[NewTaskRun], *, now_ms: int | None = None
) -> list[TaskRunRecord]:
    """Insert task runs in one batch (with their history rows), in the order given.

    Ids missing from ``items`` are allocated here in one call. ``now_ms`` stamps the history
    rows (and ``end_time`` of task runs created in a terminal state); pass it from the
    engine's clock. Without it the system clock is read, which a fake clock cannot control.
    """
    if not items:
        return []
    if now_ms is None:
        now_ms = SystemClock().now_ms()
    fresh_ids = iter(allocate_run_ids(conn, sum(1 for item in items if item.run_id is None)))
    rows: list[dict[str, Any]] = []
    history: list[NewStateChange] = []
    for item in items:
        run_id = item.run_id if item.run_id is not None else next(fresh_ids)
        state = transition_values(
            None,
            item.life_cycle_state,
            item.result_state,
            is_task_run=True,
            now_ms=now_ms,
            message=item.state_message,
            termination_code=item.termination_code,
            termination_type=item.termination_type,
            user_cancelled_or_timedout=item.user_cancelled_or_timedout,
        )
        original = item.original_attempt_run_id
        rows.append(
            {
                "run_id": run_id,
                "job_run_id": item.job_run_id,
                "task_key": item.task_key,
                "attempt_number": item.attempt_number,
                "original_attempt_run_id": run_id if original is None else original,
                "repair_id": item.repair_id,
                "task": item.task,
                "user_cancelled_or_timedout": False,
                "start_time": item.start_time,
                "end_time": 0,
                "setup_duration": 0,
                "execution_duration": 0,
                "cleanup_duration": 0,
                "queue_duration": item.queue_duration,
                "retry_at": item.retry_at,
                "task_dir": None,
                "pid": None,
                "process_start": None,
                "resolved_values": None,
                "condition_outcome": None,
                "exit_value": None,
                "exit_value_truncated": False,
                "error": None,
                "error_trace": None,
                "error_code": None,
                "logs": None,
                "logs_truncated": False,
                "cancel_requested": False,
                "child_run_id": None,
                **state,
            }
        )
        history.append(
            NewStateChange(
                job_run_id=item.job_run_id,
                task_run_id=run_id,
                from_state=None,
                to_state=item.life_cycle_state.value,
                result_state=plain(item.result_state),
                message=item.state_message,
                timestamp=now_ms,
            )
        )
    conn.execute(insert(TASK_RUNS), rows)
    record_state_changes(conn, history)
    return [task_run_record(row) for row in rows]


def read_task_run(conn: Connection, task_run_id: int) -> TaskRunRecord:
    """The task run ``task_run_id``; NotFoundError when there is none."""
    row = conn.execute(select(TASK_RUNS).where(TASK_RUNS.c.run_id == task_run_id)).first()
    if row is None:
        raise NotFoundError(f"Run {task_run_id} does not exist.")
    return task_run_record(row._mapping)


def list_task_runs(conn: Connection, job_run_id: int) -> list[TaskRunRecord]:
    """Every task run (every attempt) of a job run, by ascending id."""
    stmt = select(TASK_RUNS).where(TASK_RUNS.c.job_run_id == job_run_id)
    return [
        task_run_record(row._mapping) for row in conn.execute(stmt.order_by(TASK_RUNS.c.run_id))
    ]


def list_active_task_runs(conn: Connection, job_run_id: int) -> list[TaskRunRecord]:
    """The task runs of a job run that are not in a terminal state, by ascending id."""
    stmt = (
        select(TASK_RUNS)
        .where(
            TASK_RUNS.c.job_run_id == job_run_id,
            TASK_RUNS.c.life_cycle_state.in_(_ACTIVE_STATES),
        )
        .order_by(TASK_RUNS.c.run_id)
    )
    return [task_run_record(row._mapping) for row in conn.execute(stmt)]


def transition_task_runs(
    conn: Connection, items: Sequence[TaskRunTransition], *, now_ms: int
) -> None:
    """Apply many compare-and-set transitions in a few statements.

    Every move is checked against the transition table first (IllegalTransitionError, nothing
    written). If any task run is not in its ``expected`` state, ConflictError is raised naming
    it; the caller's transaction then rolls back the whole batch. An unknown id raises
    NotFoundError. A task run may appear several times (BLOCKED -> PENDING -> RUNNING): its moves
    apply in the order given, each expecting the state the previous one left. Entering RUNNING
    sets ``start_time = now_ms`` unless ``changes`` gives one; entering a terminal state sets
    ``end_time``; termination defaults as for job runs.
    """
    if not items:
        return
    # Wave k holds the k-th move of each task run; within a wave, one executemany per set of
    # changed columns.
    waves: list[dict[tuple[str, ...], list[dict[str, Any]]]] = []
    moves_seen: dict[int, int] = {}
    history: list[NewStateChange] = []
    for item in items:
        # the transition table first: an illegal move is a bug, whatever the stored state
        check_transition(item.expected, item.to, item.result, is_task_run=True)
    if all(item.job_run_id is not None for item in items):
        # The fast path: the UPDATE's compare-and-set below still catches any lost race, and
        # only then do we read the current states to say precisely what went wrong.
        job_run_ids = {item.task_run_id: item.job_run_id for item in items if item.job_run_id}
    else:
        job_run_ids = _check_current_states(conn, items)
    for item in items:
        values = transition_values(
            item.expected,
            item.to,
            item.result,
            is_task_run=True,
            now_ms=now_ms,
            message=item.message,
            termination_code=item.termination_code,
            termination_type=item.termination_type,
            user_cancelled_or_timedout=item.user_cancelled_or_timedout,
        )
        values.update(item.changes.columns())
        if item.to is LifeCycleState.RUNNING and "start_time" not in values:
            values["start_time"] = now_ms
        wave = moves_seen.get(item.task_run_id, 0)
        moves_seen[item.task_run_id] = wave + 1
        if wave == len(waves):
            waves.append({})
        waves[wave].setdefault(tuple(sorted(values)), []).append(
            {"b_run_id": item.task_run_id, "b_expected": item.expected.value, **values}
        )
        history.append(
            NewStateChange(
                job_run_id=job_run_ids[item.task_run_id],
                task_run_id=item.task_run_id,
                from_state=item.expected.value,
                to_state=item.to.value,
                result_state=plain(item.result),
                message=item.message or "",
                timestamp=now_ms,
            )
        )
    # SET columns come from the parameter names; the WHERE uses differently named binds.
    stmt = update(TASK_RUNS).where(
        TASK_RUNS.c.run_id == bindparam("b_run_id"),
        TASK_RUNS.c.life_cycle_state == bindparam("b_expected"),
    )
    for groups in waves:
        for params in groups.values():
            if conn.execute(stmt, params).rowcount != len(params):
                _check_current_states(conn, items)  # raises the precise NotFound / Conflict
                raise ConflictError(
                    "Task-run transition lost a concurrent change: of "
                    f"{len(params)} task runs to move, some were no longer in their expected state."
                )
    record_state_changes(conn, history)


def update_task_run(conn: Connection, task_run_id: int, **changes: Any) -> None:
    """Set non-state columns of a task run (``pid``, ``task_dir``, ``exit_value``...).

    State columns go through :func:`transition_task_runs`; naming one (or an unknown column)
    raises ValueError. ``state_message`` may be updated without a transition.
    """
    values = checked_changes(
        TASK_RUNS, changes, forbidden=_UPDATE_FORBIDDEN, caller="update_task_run"
    )
    if not values:
        read_task_run(conn, task_run_id)  # still report an unknown id
        return
    stmt = update(TASK_RUNS).where(TASK_RUNS.c.run_id == task_run_id).values(values)
    if conn.execute(stmt).rowcount == 0:
        raise NotFoundError(f"Run {task_run_id} does not exist.")


def task_run_record(row: Mapping[Any, Any]) -> TaskRunRecord:
    """A :class:`TaskRunRecord` from a full row (or row mapping) of ``task_runs``."""
    result_state = row["result_state"]
    return TaskRunRecord(
        run_id=row["run_id"],
        job_run_id=row["job_run_id"],
        task_key=row["task_key"],
        attempt_number=row["attempt_number"],
        original_attempt_run_id=row["original_attempt_run_id"],
        repair_id=row["repair_id"],
        task=row["task"],
        life_cycle_state=LifeCycleState(row["life_cycle_state"]),
        result_state=None if result_state is None else ResultState(result_state),
        state_message=row["state_message"],
        user_cancelled_or_timedout=bool(row["user_cancelled_or_timedout"]),
        termination_code=row["termination_code"],
        termination_type=row["termination_type"],
        start_time=row["start_time"],
        end_time=row["end_time"],
        setup_duration=row["setup_duration"],
        execution_duration=row["execution_duration"],
        cleanup_duration=row["cleanup_duration"],
        queue_duration=row["queue_duration"],
        retry_at=row["retry_at"],
        task_dir=row["task_dir"],
        pid=row["pid"],
        process_start=row["process_start"],
        resolved_values=row["resolved_values"],
        condition_outcome=row["condition_outcome"],
        exit_value=row["exit_value"],
        exit_value_truncated=bool(row["exit_value_truncated"]),
        error=row["error"],
        error_trace=row["error_trace"],
        error_code=row["error_code"],
        logs=row["logs"],
        logs_truncated=bool(row["logs_truncated"]),
        cancel_requested=bool(row["cancel_requested"]),
        child_run_id=row["child_run_id"],
    )


def _check_current_states(conn: Connection, items: Sequence[TaskRunTransition]) -> dict[int, int]:
    """Check every task run exists and is in its expected state; return their job run ids.

    A task run's later moves in the batch expect the state its earlier move left. This gives
    precise errors; the UPDATE's own compare-and-set still guards against a writer that slips
    in between (possible on PostgreSQL).
    """
    ids = list({item.task_run_id: None for item in items})
    stmt = select(TASK_RUNS.c.run_id, TASK_RUNS.c.job_run_id, TASK_RUNS.c.life_cycle_state)
    current = {row.run_id: row for row in conn.execute(stmt.where(TASK_RUNS.c.run_id.in_(ids)))}
    missing = [i for i in ids if i not in current]
    if missing:
        raise NotFoundError(f"Run {missing[0]} does not exist.")
    state: dict[int, str] = {run_id: row.life_cycle_state for run_id, row in current.items()}
    lost: list[str] = []
    for item in items:
        if state[item.task_run_id] != item.expected.value:
            lost.append(
                f"task run {item.task_run_id} is {state[item.task_run_id]}, "
                f"not {item.expected.value}"
            )
        state[item.task_run_id] = item.to.value
    if lost:
        more = f" (and {len(lost) - 5} more)" if len(lost) > 5 else ""
        raise ConflictError(f"Task-run transition refused: {'; '.join(lost[:5])}{more}.")
    return {run_id: row.job_run_id for run_id, row in current.items()}
