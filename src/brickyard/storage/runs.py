"""Job runs: creation, compare-and-set state transitions, queries, leases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from brickyard.errors import ConflictError, NotFoundError
from brickyard.states import (
    ACTIVE_LIFE_CYCLE,
    TERMINAL_LIFE_CYCLE,
    LifeCycleState,
    ResultState,
    RunType,
    TriggerType,
)
from brickyard.storage._columns import AnyRow, checked_changes, plain
from brickyard.storage._transitions import STATE_COLUMNS, transition_values
from brickyard.storage.changes import NO_RUN_CHANGES, RunChanges
from brickyard.storage.history import NewStateChange, record_state_changes
from brickyard.storage.ids import allocate_run_ids
from brickyard.storage.permissions import AccessFilter, granted
from brickyard.storage.records import RunRecord
from brickyard.storage.schema import JOBS, REPAIRS, RUNS, STATE_CHANGES, TASK_RUNS, TASK_VALUES

_STARTED_STATES: Final = (
    LifeCycleState.PENDING.value,
    LifeCycleState.RUNNING.value,
    LifeCycleState.TERMINATING.value,
)
_ACTIVE_STATES: Final = tuple(sorted(state.value for state in ACTIVE_LIFE_CYCLE))
_TERMINAL_STATES: Final = tuple(sorted(state.value for state in TERMINAL_LIFE_CYCLE))
# Built once, parameters passed at execution: building ``.values(row)`` per run cost more
# than the insert itself.
_INSERT_RUN: Final = insert(RUNS).returning(*RUNS.c)
_UPDATE_FORBIDDEN: Final = (STATE_COLUMNS - {"state_message"}) | {"run_id"}


@dataclass(frozen=True)
class NewRun:
    """The fields of a run being created; everything else starts at its zero value.

    ``start_time`` and ``trigger_time`` default to ``created_time``. ``run_id`` may be
    pre-allocated with :func:`~brickyard.storage.ids.allocate_run_ids`; otherwise one is
    allocated. A run created in a terminal state (e.g. SKIPPED because of
    ``max_concurrent_runs``) needs a ``result_state`` and gets ``end_time = created_time``.
    """

    job_id: int | None
    run_name: str
    run_type: RunType
    trigger: TriggerType
    settings: dict[str, Any]
    created_time: int
    run_id: int | None = None
    life_cycle_state: LifeCycleState = LifeCycleState.PENDING
    result_state: ResultState | None = None
    state_message: str = ""
    termination_code: str | None = None
    termination_type: str | None = None
    user_cancelled_or_timedout: bool | None = None
    base_dir: str | None = None
    start_time: int | None = None
    trigger_time: int | None = None
    queue_reason: str | None = None
    job_parameters: list[dict[str, Any]] = field(default_factory=list)
    overriding_parameters: dict[str, Any] = field(default_factory=dict)
    only: list[str] | None = None
    parent_task_run_id: int | None = None
    idempotency_token: str | None = None
    owner: str | None = None
    lease_expires_at: int | None = None
    creator_user_name: str | None = None
    trigger_info: dict[str, Any] = field(default_factory=dict)
    trigger_context: dict[str, Any] | None = None


def create_run(conn: Connection, new: NewRun) -> RunRecord:
    """Insert a run (and its first state-history row).

    Raises ConflictError when another run of the same job already holds ``idempotency_token``
    (the caller retries and finds it with :func:`find_run_by_idempotency_token`).
    """
    run_id = new.run_id if new.run_id is not None else allocate_run_ids(conn, 1)[0]
    state = transition_values(
        None,
        new.life_cycle_state,
        new.result_state,
        is_task_run=False,
        now_ms=new.created_time,
        message=new.state_message,
        termination_code=new.termination_code,
        termination_type=new.termination_type,
        user_cancelled_or_timedout=new.user_cancelled_or_timedout,
    )
    values: dict[str, Any] = {
        "run_id": run_id,
        "job_id": new.job_id,
        "run_name": new.run_name,
        "run_type": new.run_type.value,
        "trigger": new.trigger.value,
        "settings": new.settings,
        "base_dir": new.base_dir,
        "user_cancelled_or_timedout": False,
        "end_time": 0,
        "queue_reason": plain(new.queue_reason),
        "created_time": new.created_time,
        "start_time": new.created_time if new.start_time is None else new.start_time,
        "trigger_time": new.created_time if new.trigger_time is None else new.trigger_time,
        "queue_duration": 0,
        "job_parameters": new.job_parameters,
        "overriding_parameters": new.overriding_parameters,
        "only": new.only,
        "repair_count": 0,
        "latest_repair_id": None,
        "parent_task_run_id": new.parent_task_run_id,
        "idempotency_token": new.idempotency_token,
        "cancel_requested": False,
        "owner": new.owner,
        "lease_expires_at": new.lease_expires_at,
        "creator_user_name": new.creator_user_name,
        "trigger_info": new.trigger_info,
        "trigger_context": new.trigger_context,
        **state,
    }
    try:
        row = conn.execute(_INSERT_RUN, values).one()
    except IntegrityError as exc:
        if new.idempotency_token is None:
            raise
        raise ConflictError(
            f"A run of job {new.job_id} with idempotency_token "
            f"{new.idempotency_token!r} already exists."
        ) from exc
    record_state_changes(
        conn,
        [
            NewStateChange(
                job_run_id=run_id,
                task_run_id=None,
                from_state=None,
                to_state=new.life_cycle_state.value,
                result_state=plain(new.result_state),
                message=new.state_message,
                timestamp=new.created_time,
            )
        ],
    )
    return run_record(row)


def read_run(conn: Connection, run_id: int) -> RunRecord:
    """The job run ``run_id``; NotFoundError when there is none."""
    row = conn.execute(select(RUNS).where(RUNS.c.run_id == run_id)).first()
    if row is None:
        raise NotFoundError(f"Run {run_id} does not exist.")
    return run_record(row)


def list_runs(
    conn: Connection,
    *,
    job_id: int | None = None,
    active_only: bool = False,
    completed_only: bool = False,
    run_type: RunType | None = None,
    start_time_from: int | None = None,
    start_time_to: int | None = None,
    visible_to: AccessFilter | None = None,
    limit: int = 25,
    offset: int = 0,
) -> list[RunRecord]:
    """Job runs, newest first (``start_time`` desc, then ``run_id`` desc).

    ``active_only`` keeps runs in a non-terminal state, ``completed_only`` those in a terminal
    one; ``start_time_from``/``start_time_to`` are inclusive bounds in epoch ms. With
    ``visible_to`` only the runs it allows count, so ``limit`` and ``offset`` page over those.
    """
    if active_only and completed_only:
        raise ValueError("list_runs: active_only and completed_only cannot both be set")
    stmt = select(RUNS)
    if visible_to is not None:
        stmt = stmt.where(_visible_runs(visible_to))
    if job_id is not None:
        stmt = stmt.where(RUNS.c.job_id == job_id)
    if active_only:
        stmt = stmt.where(RUNS.c.life_cycle_state.in_(_ACTIVE_STATES))
    if completed_only:
        stmt = stmt.where(RUNS.c.life_cycle_state.in_(_TERMINAL_STATES))
    if run_type is not None:
        stmt = stmt.where(RUNS.c.run_type == run_type.value)
    if start_time_from is not None:
        stmt = stmt.where(RUNS.c.start_time >= start_time_from)
    if start_time_to is not None:
        stmt = stmt.where(RUNS.c.start_time <= start_time_to)
    stmt = stmt.order_by(RUNS.c.start_time.desc(), RUNS.c.run_id.desc()).limit(limit)
    return [run_record(row) for row in conn.execute(stmt.offset(offset))]


def read_run_version(conn: Connection, run_id: int) -> tuple[Any, ...] | None:
    """What identifies the current content of a FINISHED run (its state, end, repairs), read
    without the JSON columns; None for an unknown or unfinished run.

    A finished run changes only when it is repaired (which bumps ``repair_count``) or deleted,
    so readers may cache what they rendered from it under this value.
    """
    row = conn.execute(
        select(
            RUNS.c.life_cycle_state,
            RUNS.c.result_state,
            RUNS.c.end_time,
            RUNS.c.repair_count,
            RUNS.c.latest_repair_id,
        ).where(RUNS.c.run_id == run_id)
    ).first()
    if row is None or row.life_cycle_state not in _TERMINAL_STATES:
        return None
    return tuple(row)


def count_active_runs(conn: Connection, job_id: int) -> int:
    """How many runs of the job hold a concurrency slot (PENDING, RUNNING, TERMINATING)."""
    stmt = (
        select(func.count())
        .select_from(RUNS)
        .where(RUNS.c.job_id == job_id, RUNS.c.life_cycle_state.in_(_STARTED_STATES))
    )
    return int(conn.execute(stmt).scalar_one())


def list_active_runs(
    conn: Connection, *, job_id: int | None = None, visible_to: AccessFilter | None = None
) -> list[RunRecord]:
    """Runs in any non-terminal state (QUEUED included), oldest first; with ``visible_to``
    only those it allows."""
    stmt = select(RUNS).where(RUNS.c.life_cycle_state.in_(_ACTIVE_STATES))
    if job_id is not None:
        stmt = stmt.where(RUNS.c.job_id == job_id)
    if visible_to is not None:
        stmt = stmt.where(_visible_runs(visible_to))
    return [run_record(row) for row in conn.execute(stmt.order_by(RUNS.c.run_id))]


def _visible_runs(access: AccessFilter) -> ColumnElement[bool]:
    # A deleted job took its grants along; its runs stay, and only their creator sees them.
    job_gone = ~exists().where(JOBS.c.job_id == RUNS.c.job_id)
    own_run = and_(
        RUNS.c.creator_user_name == access.creator, or_(RUNS.c.job_id.is_(None), job_gone)
    )
    return or_(granted(RUNS.c.job_id, access), own_run)


def list_orphaned_runs(conn: Connection, *, now_ms: int) -> list[RunRecord]:
    """Active runs nobody drives: no owner, no lease, or a lease that expired by ``now_ms``."""
    stmt = (
        select(RUNS)
        .where(
            RUNS.c.life_cycle_state.in_(_ACTIVE_STATES),
            or_(
                RUNS.c.owner.is_(None),
                RUNS.c.lease_expires_at.is_(None),
                RUNS.c.lease_expires_at <= now_ms,
            ),
        )
        .order_by(RUNS.c.run_id)
    )
    return [run_record(row) for row in conn.execute(stmt)]


def renew_leases(conn: Connection, *, owner: str, lease_expires_at: int) -> int:
    """Extend the lease of every active run ``owner`` drives; returns how many there were."""
    result = conn.execute(
        update(RUNS)
        .where(RUNS.c.owner == owner, RUNS.c.life_cycle_state.in_(_ACTIVE_STATES))
        .values(lease_expires_at=lease_expires_at)
    )
    return int(result.rowcount)


def claim_run(
    conn: Connection,
    run_id: int,
    *,
    expected_owner: str | None,
    owner: str | None,
    lease_expires_at: int | None,
) -> RunRecord | None:
    """Take over an active run if its owner is still ``expected_owner`` (compare-and-set).

    Returns the claimed run, or None when another engine changed the owner first, the run
    finished, or it does not exist. Deciding that the previous owner is gone (lease expired,
    process dead) is the caller's job.
    """
    owner_filter = (
        RUNS.c.owner.is_(None) if expected_owner is None else RUNS.c.owner == expected_owner
    )
    row = conn.execute(
        update(RUNS)
        .where(
            RUNS.c.run_id == run_id,
            owner_filter,
            RUNS.c.life_cycle_state.in_(_ACTIVE_STATES),
        )
        .values(owner=owner, lease_expires_at=lease_expires_at)
        .returning(*RUNS.c)
    ).first()
    return None if row is None else run_record(row)


def transition_run(
    conn: Connection,
    run_id: int,
    *,
    expected: LifeCycleState,
    to: LifeCycleState,
    result: ResultState | None = None,
    message: str | None = None,
    now_ms: int,
    termination_code: str | None = None,
    termination_type: str | None = None,
    user_cancelled_or_timedout: bool | None = None,
    changes: RunChanges = NO_RUN_CHANGES,
) -> RunRecord:
    """Move a run from ``expected`` to ``to`` if it is still in ``expected`` (compare-and-set).

    Raises IllegalTransitionError when the table in :mod:`brickyard.states` forbids the move,
    ConflictError when the run is no longer in ``expected``, NotFoundError when it does not
    exist. ``changes`` sets other (non-state) columns in the same UPDATE. The rules for
    ``end_time``, termination and ``state_message`` are those of
    :func:`brickyard.storage._transitions.transition_values`.
    """
    values = transition_values(
        expected,
        to,
        result,
        is_task_run=False,
        now_ms=now_ms,
        message=message,
        termination_code=termination_code,
        termination_type=termination_type,
        user_cancelled_or_timedout=user_cancelled_or_timedout,
    )
    values.update(changes.columns())
    row = conn.execute(
        update(RUNS)
        .where(RUNS.c.run_id == run_id, RUNS.c.life_cycle_state == expected.value)
        .values(values)
        .returning(*RUNS.c)
    ).first()
    if row is None:
        actual = conn.execute(
            select(RUNS.c.life_cycle_state).where(RUNS.c.run_id == run_id)
        ).scalar()
        if actual is None:
            raise NotFoundError(f"Run {run_id} does not exist.")
        raise ConflictError(
            f"Run {run_id} is {actual}, not {expected.value}: it cannot move to {to.value}."
        )
    record = run_record(row)
    record_state_changes(
        conn,
        [
            NewStateChange(
                job_run_id=run_id,
                task_run_id=None,
                from_state=expected.value,
                to_state=to.value,
                result_state=plain(result),
                message=record.state_message,
                timestamp=now_ms,
            )
        ],
    )
    return record


def update_run(conn: Connection, run_id: int, **changes: Any) -> RunRecord:
    """Set non-state columns of a run (``owner``, ``settings``, ``queue_duration``...).

    State columns go through :func:`transition_run`; naming one (or an unknown column) raises
    ValueError. ``state_message`` may be updated without a transition.
    """
    values = checked_changes(RUNS, changes, forbidden=_UPDATE_FORBIDDEN, caller="update_run")
    if not values:
        return read_run(conn, run_id)
    row = conn.execute(
        update(RUNS).where(RUNS.c.run_id == run_id).values(values).returning(*RUNS.c)
    ).first()
    if row is None:
        raise NotFoundError(f"Run {run_id} does not exist.")
    return run_record(row)


def find_run_by_idempotency_token(
    conn: Connection, job_id: int | None, token: str
) -> RunRecord | None:
    """The run of ``job_id`` (None: runs without a job) created with ``token``, if any."""
    job_filter = RUNS.c.job_id.is_(None) if job_id is None else RUNS.c.job_id == job_id
    row = conn.execute(
        select(RUNS)
        .where(job_filter, RUNS.c.idempotency_token == token)
        .order_by(RUNS.c.run_id)
        .limit(1)
    ).first()
    return None if row is None else run_record(row)


def delete_run(conn: Connection, run_id: int) -> None:
    """Delete a job run with its task runs, task values, repairs and history."""
    conn.execute(delete(STATE_CHANGES).where(STATE_CHANGES.c.job_run_id == run_id))
    conn.execute(delete(TASK_VALUES).where(TASK_VALUES.c.job_run_id == run_id))
    conn.execute(delete(REPAIRS).where(REPAIRS.c.run_id == run_id))
    conn.execute(delete(TASK_RUNS).where(TASK_RUNS.c.job_run_id == run_id))
    if conn.execute(delete(RUNS).where(RUNS.c.run_id == run_id)).rowcount == 0:
        raise NotFoundError(f"Run {run_id} does not exist.")


def read_runs(conn: Connection, run_ids: Sequence[int]) -> list[RunRecord]:
    """The existing runs among ``run_ids``, by ascending id (missing ids are left out)."""
    if not run_ids:
        return []
    stmt = select(RUNS).where(RUNS.c.run_id.in_(list(run_ids))).order_by(RUNS.c.run_id)
    return [run_record(row) for row in conn.execute(stmt)]


def run_record(row: AnyRow) -> RunRecord:
    """A :class:`RunRecord` from a full row of the ``runs`` table."""
    return RunRecord(
        run_id=row.run_id,
        job_id=row.job_id,
        run_name=row.run_name,
        run_type=RunType(row.run_type),
        trigger=TriggerType(row.trigger),
        settings=row.settings,
        base_dir=row.base_dir,
        life_cycle_state=LifeCycleState(row.life_cycle_state),
        result_state=None if row.result_state is None else ResultState(row.result_state),
        state_message=row.state_message,
        user_cancelled_or_timedout=bool(row.user_cancelled_or_timedout),
        termination_code=row.termination_code,
        termination_type=row.termination_type,
        queue_reason=row.queue_reason,
        created_time=row.created_time,
        start_time=row.start_time,
        end_time=row.end_time,
        trigger_time=row.trigger_time,
        queue_duration=row.queue_duration,
        job_parameters=row.job_parameters,
        overriding_parameters=row.overriding_parameters,
        only=row.only,
        repair_count=row.repair_count,
        latest_repair_id=row.latest_repair_id,
        parent_task_run_id=row.parent_task_run_id,
        idempotency_token=row.idempotency_token,
        cancel_requested=bool(row.cancel_requested),
        owner=row.owner,
        lease_expires_at=row.lease_expires_at,
        creator_user_name=row.creator_user_name,
        trigger_info=row.trigger_info,
        trigger_context=row.trigger_context,
    )
