from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from brickyard.errors import ConflictError, IllegalTransitionError, NotFoundError
from brickyard.states import LifeCycleState, QueueReason, ResultState, RunType, TriggerType
from brickyard.storage import (
    AccessFilter,
    Database,
    Grantee,
    NewRun,
    RunChanges,
    RunRecord,
    allocate_run_ids,
    claim_run,
    count_active_runs,
    create_job,
    create_repair,
    create_run,
    delete_job,
    delete_run,
    find_run_by_idempotency_token,
    list_active_runs,
    list_orphaned_runs,
    list_repairs,
    list_runs,
    list_state_changes,
    list_task_runs,
    lock_job,
    read_run,
    read_run_version,
    read_runs,
    read_task_values,
    renew_leases,
    set_job_permission,
    set_task_values,
    transition_run,
    update_run,
)

NOW = 1_763_700_000_000
L = LifeCycleState
R = ResultState
MakeRun = Callable[..., RunRecord]


def test_create_run_defaults_and_json_round_trip(db: Database, make_run: MakeRun) -> None:
    run = make_run(
        job_parameters=[{"name": "env", "default": "dev", "value": "prod"}],
        overriding_parameters={"notebook_params": {"date": "2026-11-21"}},
        only=["b", "a"],
        trigger_info={"run_id": 7},
        base_dir="/jobs",
        creator_user_name="me",
    )
    assert run.run_id == 1
    assert run.life_cycle_state is L.PENDING
    assert run.result_state is None
    assert run.start_time == run.trigger_time == run.created_time == NOW
    assert run.end_time == 0
    assert run.repair_count == 0
    assert not run.cancel_requested
    assert not run.user_cancelled_or_timedout
    assert run.termination_code is None
    with db.read() as conn:
        assert read_run(conn, run.run_id) == run
    assert run.job_parameters == [{"name": "env", "default": "dev", "value": "prod"}]
    assert run.only == ["b", "a"]
    assert run.trigger_info == {"run_id": 7}
    assert run.settings == {"name": "nightly", "tasks": [{"task_key": "a"}]}


def test_create_run_uses_a_preallocated_id_and_writes_history(db: Database) -> None:
    with db.transaction() as conn:
        (run_id,) = allocate_run_ids(conn, 1)
        run = create_run(
            conn,
            NewRun(
                job_id=None,
                run_name="one-off",
                run_type=RunType.SUBMIT_RUN,
                trigger=TriggerType.ONE_TIME,
                settings={},
                created_time=NOW,
                run_id=run_id,
                life_cycle_state=L.QUEUED,
                queue_reason=QueueReason.MAX_CONCURRENT_RUNS_REACHED,
                state_message="Queued",
            ),
        )
    assert run.run_id == run_id
    assert run.job_id is None
    assert run.queue_reason == "MAX_CONCURRENT_RUNS_REACHED"
    with db.read() as conn:
        (change,) = list_state_changes(conn, run_id)
    assert (change.from_state, change.to_state, change.message) == (None, "QUEUED", "Queued")
    assert change.task_run_id is None and change.timestamp == NOW


def test_create_run_in_a_terminal_state(make_run: MakeRun) -> None:
    run = make_run(life_cycle_state=L.SKIPPED, result_state=R.MAXIMUM_CONCURRENT_RUNS_REACHED)
    assert run.end_time == NOW
    assert run.termination_code == "MAX_CONCURRENT_RUNS_EXCEEDED"
    assert run.termination_type == "CLIENT_ERROR"


@pytest.mark.parametrize(
    ("state", "result"), [(L.RUNNING, None), (L.PENDING, R.SUCCESS), (L.SKIPPED, None)]
)
def test_create_run_rejects_illegal_initial_states(
    make_run: MakeRun, state: LifeCycleState, result: ResultState | None
) -> None:
    with pytest.raises(IllegalTransitionError):
        make_run(life_cycle_state=state, result_state=result)


def test_read_an_unknown_run(db: Database) -> None:
    with db.read() as conn, pytest.raises(NotFoundError, match=r"^Run 99 does not exist\.$"):
        read_run(conn, 99)


def test_read_runs_returns_the_existing_ones(db: Database, make_run: MakeRun) -> None:
    a, b = make_run(), make_run()
    with db.read() as conn:
        assert read_runs(conn, [b.run_id, 999, a.run_id]) == [a, b]
        assert read_runs(conn, []) == []


def _finish(db: Database, run: RunRecord, result: ResultState = R.SUCCESS) -> RunRecord:
    with db.transaction() as conn:
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW + 1)
        return transition_run(
            conn, run.run_id, expected=L.RUNNING, to=L.TERMINATED, result=result, now_ms=NOW + 9
        )


def test_list_runs_orders_and_filters(db: Database, make_run: MakeRun) -> None:
    old = make_run(start_time=NOW - 100)
    same_a = make_run(start_time=NOW)
    same_b = make_run(start_time=NOW)
    other_job = make_run(job_id=2, start_time=NOW + 50)
    submit = make_run(job_id=None, run_type=RunType.SUBMIT_RUN, start_time=NOW + 60)
    _finish(db, old)
    with db.read() as conn:

        def ids(**filters: object) -> list[int]:
            return [r.run_id for r in list_runs(conn, **filters)]  # type: ignore[arg-type]

        assert ids() == [submit.run_id, other_job.run_id, same_b.run_id, same_a.run_id, old.run_id]
        assert ids(job_id=1) == [same_b.run_id, same_a.run_id, old.run_id]
        assert ids(job_id=1, active_only=True) == [same_b.run_id, same_a.run_id]
        assert ids(completed_only=True) == [old.run_id]
        assert ids(run_type=RunType.SUBMIT_RUN) == [submit.run_id]
        assert ids(start_time_from=NOW, start_time_to=NOW + 50) == [
            other_job.run_id,
            same_b.run_id,
            same_a.run_id,
        ]
        assert ids(limit=2, offset=1) == [other_job.run_id, same_b.run_id]
        with pytest.raises(ValueError, match="active_only and completed_only"):
            list_runs(conn, active_only=True, completed_only=True)


BOB_CAN_VIEW = AccessFilter(
    grantees=(Grantee("user_name", "bob"), Grantee("group_name", "users")),
    levels=("CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE", "IS_OWNER"),
    creator="bob",
)


def _jobs(db: Database, count: int) -> list[int]:
    with db.transaction() as conn:
        return [create_job(conn, {"name": f"j{i}"}, now_ms=NOW).job_id for i in range(count)]


def test_list_runs_visible_to_pages_over_the_visible_runs_only(
    db: Database, make_run: MakeRun
) -> None:
    granted, shared, hidden, bad_level, gone = _jobs(db, 5)
    with db.transaction() as conn:
        set_job_permission(conn, granted, Grantee("user_name", "bob"), "CAN_VIEW")
        set_job_permission(conn, shared, Grantee("group_name", "users"), "CAN_MANAGE_RUN")
        set_job_permission(conn, hidden, Grantee("user_name", "alice"), "IS_OWNER")
        set_job_permission(conn, hidden, Grantee("group_name", "bob"), "CAN_VIEW")
        set_job_permission(conn, bad_level, Grantee("user_name", "bob"), "CAN_SNOOP")
        set_job_permission(conn, gone, Grantee("user_name", "bob"), "CAN_VIEW")
    visible: list[int] = []
    at = NOW
    for job_id, creator, seen in [
        (granted, "alice", True),
        (hidden, "alice", False),
        (hidden, "bob", False),  # created it, but the job exists and grants bob nothing
        (shared, None, True),
        (None, "bob", True),  # one-time runs: their creator's
        (None, "alice", False),
        (None, None, False),
        (bad_level, "alice", False),
        (gone, "bob", True),  # the job is deleted below: its runs stay their creator's
        (gone, "alice", False),
    ] * 3:
        at += 1
        run = make_run(job_id=job_id, creator_user_name=creator, start_time=at)
        if seen:
            visible.append(run.run_id)
    with db.transaction() as conn:
        delete_job(conn, gone)
    newest_first = visible[::-1]
    with db.read() as conn:

        def ids(**filters: object) -> list[int]:
            runs = list_runs(conn, visible_to=BOB_CAN_VIEW, **filters)  # type: ignore[arg-type]
            return [r.run_id for r in runs]

        assert ids(limit=100) == newest_first
        pages = [ids(limit=4, offset=offset) for offset in range(0, 16, 4)]
        assert [len(page) for page in pages] == [4, 4, 4, 0]
        assert [i for page in pages for i in page] == newest_first
        assert ids(job_id=granted, limit=100) == newest_first[3::4]
        assert ids(job_id=hidden, limit=100) == []
        nobody = AccessFilter(grantees=(), levels=("CAN_VIEW",), creator="nobody")
        assert list_runs(conn, visible_to=nobody, limit=100) == []


def test_list_active_runs_visible_to(db: Database, make_run: MakeRun) -> None:
    mine, theirs = _jobs(db, 2)
    with db.transaction() as conn:
        set_job_permission(conn, mine, Grantee("user_name", "bob"), "CAN_MANAGE_RUN")
    manage_run = AccessFilter(
        grantees=BOB_CAN_VIEW.grantees, levels=("CAN_MANAGE_RUN",), creator="bob"
    )
    run_of_mine = make_run(job_id=mine)
    make_run(job_id=theirs, creator_user_name="bob")
    own_submit = make_run(job_id=None, creator_user_name="bob", life_cycle_state=L.QUEUED)
    _finish(db, make_run(job_id=mine))
    with db.read() as conn:
        assert [r.run_id for r in list_active_runs(conn, visible_to=manage_run)] == [
            run_of_mine.run_id,
            own_submit.run_id,
        ]
        only_view = AccessFilter(BOB_CAN_VIEW.grantees, ("CAN_VIEW",), "bob")
        assert [r.run_id for r in list_active_runs(conn, visible_to=only_view)] == [
            own_submit.run_id
        ]
        assert list_active_runs(conn, job_id=theirs, visible_to=manage_run) == []


def test_count_and_list_active_runs(db: Database, make_run: MakeRun) -> None:
    queued = make_run(life_cycle_state=L.QUEUED)
    pending = make_run()
    running = make_run()
    done = make_run()
    make_run(job_id=2)
    with db.transaction() as conn:
        transition_run(conn, running.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)
    _finish(db, done)
    with db.read() as conn:
        assert count_active_runs(conn, 1) == 2  # QUEUED does not hold a slot
        assert count_active_runs(conn, 3) == 0
        assert [r.run_id for r in list_active_runs(conn, job_id=1)] == [
            queued.run_id,
            pending.run_id,
            running.run_id,
        ]
        assert len(list_active_runs(conn)) == 4


def test_transition_run_sets_end_time_and_default_termination(
    db: Database, make_run: MakeRun
) -> None:
    run = make_run()
    with db.transaction() as conn:
        running = transition_run(
            conn,
            run.run_id,
            expected=L.PENDING,
            to=L.RUNNING,
            message="Running",
            now_ms=NOW + 1,
            changes=RunChanges(owner="engine-1", lease_expires_at=NOW + 30_000),
        )
        assert running.end_time == 0
        assert running.state_message == "Running"
        assert running.owner == "engine-1"
        done = transition_run(
            conn, run.run_id, expected=L.RUNNING, to=L.TERMINATED, result=R.FAILED, now_ms=NOW + 9
        )
    assert done.life_cycle_state is L.TERMINATED
    assert done.result_state is R.FAILED
    assert done.end_time == NOW + 9
    assert done.state_message == "Running"  # message None keeps the current one
    assert (done.termination_code, done.termination_type) == ("RUN_EXECUTION_ERROR", "CLIENT_ERROR")
    assert not done.user_cancelled_or_timedout
    with db.read() as conn:
        history = list_state_changes(conn, run.run_id)
    assert [(c.from_state, c.to_state, c.result_state) for c in history] == [
        (None, "PENDING", None),
        ("PENDING", "RUNNING", None),
        ("RUNNING", "TERMINATED", "FAILED"),
    ]
    assert [c.timestamp for c in history] == [NOW, NOW + 1, NOW + 9]


def test_transition_run_takes_explicit_termination(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    with db.transaction() as conn:
        done = transition_run(
            conn,
            run.run_id,
            expected=L.PENDING,
            to=L.TERMINATED,
            result=R.FAILED,
            message="pip failed",
            now_ms=NOW,
            termination_code="LIBRARY_INSTALLATION_ERROR",
            termination_type="CLIENT_ERROR",
        )
    assert done.termination_code == "LIBRARY_INSTALLATION_ERROR"
    assert done.state_message == "pip failed"


def test_cancellation_marks_user_cancelled_or_timedout(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    with db.transaction() as conn:
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)
        terminating = transition_run(
            conn,
            run.run_id,
            expected=L.RUNNING,
            to=L.TERMINATING,
            now_ms=NOW,
            changes=RunChanges(cancel_requested=True),
        )
        assert terminating.cancel_requested
        assert terminating.end_time == 0
        done = transition_run(
            conn, run.run_id, expected=L.TERMINATING, to=L.TERMINATED, result=R.CANCELED, now_ms=NOW
        )
    assert done.user_cancelled_or_timedout
    assert done.termination_code == "USER_CANCELED"


def test_repair_leaves_the_terminal_state_and_resets_end_time(
    db: Database, make_run: MakeRun
) -> None:
    done = _finish(db, make_run(), R.CANCELED)
    assert done.end_time and done.result_state and done.user_cancelled_or_timedout
    with db.transaction() as conn:
        repaired = transition_run(
            conn,
            done.run_id,
            expected=L.TERMINATED,
            to=L.PENDING,
            now_ms=NOW + 100,
            changes=RunChanges(repair_count=1, latest_repair_id=77, settings={"name": "v2"}),
        )
    assert repaired.end_time == 0
    assert repaired.result_state is None
    assert repaired.termination_code is None and repaired.termination_type is None
    assert not repaired.user_cancelled_or_timedout
    assert (repaired.repair_count, repaired.latest_repair_id) == (1, 77)
    assert repaired.settings == {"name": "v2"}


def test_transition_run_compare_and_set_conflict(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    with db.transaction() as conn:
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)
    with (
        pytest.raises(ConflictError, match=f"Run {run.run_id} is RUNNING, not PENDING"),
        db.transaction() as conn,
    ):
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)
    with db.read() as conn:
        assert len(list_state_changes(conn, run.run_id)) == 2


def test_transition_run_illegal_moves(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    with db.transaction() as conn:
        with pytest.raises(IllegalTransitionError):
            transition_run(conn, run.run_id, expected=L.PENDING, to=L.QUEUED, now_ms=NOW)
        with pytest.raises(IllegalTransitionError):
            transition_run(conn, run.run_id, expected=L.PENDING, to=L.TERMINATED, now_ms=NOW)
        with pytest.raises(IllegalTransitionError):
            transition_run(
                conn, run.run_id, expected=L.PENDING, to=L.RUNNING, result=R.SUCCESS, now_ms=NOW
            )
        assert read_run(conn, run.run_id).life_cycle_state is L.PENDING


def test_transition_an_unknown_run(db: Database) -> None:
    with db.transaction() as conn, pytest.raises(NotFoundError, match="Run 5 does not exist"):
        transition_run(conn, 5, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)


def test_update_run(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    with db.transaction() as conn:
        updated = update_run(
            conn,
            run.run_id,
            owner="e",
            lease_expires_at=5,
            queue_duration=12,
            state_message="Waiting for a slot",
            queue_reason=QueueReason.MAX_CONCURRENT_RUNS_REACHED,
        )
        assert update_run(conn, run.run_id) == updated
    assert (updated.owner, updated.lease_expires_at, updated.queue_duration) == ("e", 5, 12)
    assert updated.state_message == "Waiting for a slot"
    assert updated.queue_reason == "MAX_CONCURRENT_RUNS_REACHED"
    assert updated.life_cycle_state is L.PENDING
    with db.transaction() as conn:
        with pytest.raises(ValueError, match="life_cycle_state"):
            update_run(conn, run.run_id, life_cycle_state="RUNNING")
        with pytest.raises(ValueError, match="termination_code"):
            update_run(conn, run.run_id, termination_code="X")
        with pytest.raises(ValueError, match="no column"):
            update_run(conn, run.run_id, colour="red")
        with pytest.raises(NotFoundError):
            update_run(conn, 404, owner="e")


def test_idempotency_tokens(db: Database, make_run: MakeRun) -> None:
    run = make_run(idempotency_token="tok")
    other_job = make_run(job_id=2, idempotency_token="tok")
    submit = make_run(job_id=None, idempotency_token="tok")
    with db.read() as conn:
        assert find_run_by_idempotency_token(conn, 1, "tok") == run
        assert find_run_by_idempotency_token(conn, 2, "tok") == other_job
        assert find_run_by_idempotency_token(conn, None, "tok") == submit
        assert find_run_by_idempotency_token(conn, 1, "other") is None
    with pytest.raises(ConflictError, match="idempotency_token 'tok' already exists"):
        make_run(idempotency_token="tok")


def test_delete_run_removes_everything_that_belongs_to_it(
    db: Database, make_run: MakeRun, make_task_runs: Callable[..., object]
) -> None:
    run = make_run()
    keep = make_run()
    make_task_runs(run.run_id, ["a", "b"])
    make_task_runs(keep.run_id, ["a"])
    with db.transaction() as conn:
        set_task_values(conn, run.run_id, "a", 2, {"k": 1})
        create_repair(conn, run.run_id, repair_id=99, now_ms=NOW, request={}, task_run_ids=[])
    with db.transaction() as conn:
        delete_run(conn, run.run_id)
    with db.read() as conn:
        with pytest.raises(NotFoundError):
            read_run(conn, run.run_id)
        assert list_task_runs(conn, run.run_id) == []
        assert read_task_values(conn, run.run_id) == {}
        assert list_repairs(conn, run.run_id) == []
        assert list_state_changes(conn, run.run_id) == []
        assert len(list_task_runs(conn, keep.run_id)) == 1
    with db.transaction() as conn, pytest.raises(NotFoundError):
        delete_run(conn, run.run_id)


def test_orphaned_runs_and_leases(db: Database, make_run: MakeRun) -> None:
    unowned = make_run()
    expired = make_run(owner="dead", lease_expires_at=NOW - 1)
    leased = make_run(owner="alive", lease_expires_at=NOW + 1000)
    no_lease = make_run(owner="alive")
    finished = _finish(db, make_run())
    with db.read() as conn:
        orphans = [r.run_id for r in list_orphaned_runs(conn, now_ms=NOW)]
    assert orphans == [unowned.run_id, expired.run_id, no_lease.run_id]
    assert leased.run_id not in orphans and finished.run_id not in orphans
    with db.transaction() as conn:
        assert renew_leases(conn, owner="alive", lease_expires_at=NOW + 5000) == 2
        assert renew_leases(conn, owner="nobody", lease_expires_at=NOW) == 0
    with db.read() as conn:
        assert read_run(conn, no_lease.run_id).lease_expires_at == NOW + 5000
        assert [r.run_id for r in list_orphaned_runs(conn, now_ms=NOW + 4000)] == [
            unowned.run_id,
            expired.run_id,
        ]


def test_two_writers_racing_for_one_transition(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    outcome: list[BaseException | RunRecord] = []

    def second_writer() -> None:
        try:
            with db.transaction() as conn:  # waits for the first writer's lock
                outcome.append(
                    transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)
                )
        except BaseException as exc:  # handed to the main thread
            outcome.append(exc)

    with db.transaction() as conn:
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW)
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(timeout=0.3)
        assert thread.is_alive()  # blocked behind the uncommitted first transition
    thread.join()
    (result,) = outcome
    assert isinstance(result, ConflictError)
    assert "is RUNNING, not PENDING" in str(result)


def test_claim_run_is_a_compare_and_set_on_the_owner(db: Database, make_run: MakeRun) -> None:
    unowned = make_run()
    owned = make_run(owner="old", lease_expires_at=NOW)
    finished = _finish(db, make_run(owner="old"))
    with db.transaction() as conn:
        claimed = claim_run(
            conn, unowned.run_id, expected_owner=None, owner="me", lease_expires_at=NOW + 30
        )
        assert claimed is not None
        assert (claimed.owner, claimed.lease_expires_at) == ("me", NOW + 30)
        taken = claim_run(conn, owned.run_id, expected_owner="old", owner="me", lease_expires_at=1)
        assert taken is not None and taken.owner == "me"
        # someone else got there first: the owner is no longer the expected one
        assert (
            claim_run(conn, owned.run_id, expected_owner="old", owner="other", lease_expires_at=1)
            is None
        )
        assert (
            claim_run(conn, finished.run_id, expected_owner="old", owner="me", lease_expires_at=1)
            is None
        )
        assert claim_run(conn, 404, expected_owner=None, owner="me", lease_expires_at=1) is None
        assert read_run(conn, owned.run_id).owner == "me"


def test_lock_job_serializes_admission(db: Database) -> None:
    order: list[str] = []

    def second_writer() -> None:
        with db.transaction() as conn:
            lock_job(conn, 1)
            order.append("second")

    with db.transaction() as conn:
        lock_job(conn, 1)
        lock_job(conn, 1)  # re-entrant within one transaction
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(timeout=0.3)
        order.append("first")
    thread.join()
    assert order == ["first", "second"]


def test_the_version_of_a_run_exists_once_it_finished_and_changes_with_a_repair(
    db: Database, make_run: MakeRun
) -> None:
    run = make_run()
    with db.read() as conn:
        assert read_run_version(conn, run.run_id) is None, "unfinished runs have none"
        assert read_run_version(conn, 10**9) is None
    with db.transaction() as conn:
        transition_run(conn, run.run_id, expected=L.PENDING, to=L.RUNNING, now_ms=NOW + 1)
        transition_run(
            conn, run.run_id, expected=L.RUNNING, to=L.TERMINATED, result=R.FAILED, now_ms=NOW + 2
        )
    with db.read() as conn:
        finished = read_run_version(conn, run.run_id)
    assert finished == ("TERMINATED", "FAILED", NOW + 2, 0, None)
    with db.transaction() as conn:
        update_run(conn, run.run_id, repair_count=1, latest_repair_id=55)
    with db.read() as conn:
        assert read_run_version(conn, run.run_id) != finished
