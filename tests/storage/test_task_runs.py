from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from brickyard.errors import ConflictError, IllegalTransitionError, NotFoundError
from brickyard.states import LifeCycleState, ResultState
from brickyard.storage import (
    Database,
    NewTaskRun,
    RunRecord,
    TaskRunChanges,
    TaskRunRecord,
    TaskRunTransition,
    allocate_run_ids,
    create_task_runs,
    list_active_task_runs,
    list_state_changes,
    list_task_runs,
    read_task_run,
    transition_task_runs,
    update_task_run,
)

NOW = 1_763_700_000_000
L = LifeCycleState
R = ResultState
MakeRun = Callable[..., RunRecord]
MakeTaskRuns = Callable[..., list[TaskRunRecord]]


def test_create_task_runs_allocates_ids_and_defaults(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    run = make_run()
    a, b = make_task_runs(run.run_id, ["a", "b"])
    assert [a.run_id, b.run_id] == [run.run_id + 1, run.run_id + 2]
    assert a.original_attempt_run_id == a.run_id
    assert a.attempt_number == 0
    assert a.life_cycle_state is L.BLOCKED
    assert a.result_state is None and a.end_time == 0 and a.start_time == 0
    assert a.task == {"task_key": "a"}
    assert a.resolved_values is None and a.exit_value is None and not a.logs_truncated
    with db.read() as conn:
        assert list_task_runs(conn, run.run_id) == [a, b]
        assert read_task_run(conn, b.run_id) == b
        history = list_state_changes(conn, run.run_id)
    assert [(c.task_run_id, c.from_state, c.to_state) for c in history[1:]] == [
        (a.run_id, None, "BLOCKED"),
        (b.run_id, None, "BLOCKED"),
    ]


def test_create_task_runs_with_preallocated_ids_retry_and_skip(
    db: Database, make_run: MakeRun
) -> None:
    run = make_run()
    with db.transaction() as conn:
        ids = allocate_run_ids(conn, 2)
        retry, skipped, fresh = create_task_runs(
            conn,
            [
                NewTaskRun(
                    job_run_id=run.run_id,
                    task_key="a",
                    task={"task_key": "a", "max_retries": 2},
                    run_id=ids[1],
                    attempt_number=1,
                    original_attempt_run_id=ids[0],
                    life_cycle_state=L.WAITING_FOR_RETRY,
                    retry_at=NOW + 60_000,
                    repair_id=12,
                ),
                NewTaskRun(
                    job_run_id=run.run_id,
                    task_key="off",
                    task={"task_key": "off", "disabled": True},
                    run_id=ids[0],
                    life_cycle_state=L.SKIPPED,
                    result_state=R.DISABLED,
                    state_message="disabled",
                ),
                NewTaskRun(job_run_id=run.run_id, task_key="c", task={}),
            ],
            now_ms=NOW + 5,
        )
    assert (retry.run_id, retry.original_attempt_run_id, retry.attempt_number) == (
        ids[1],
        ids[0],
        1,
    )
    assert retry.retry_at == NOW + 60_000 and retry.repair_id == 12
    assert skipped.end_time == NOW + 5
    assert (skipped.termination_code, skipped.termination_type) == ("DISABLED", "SUCCESS")
    assert fresh.run_id == ids[1] + 1
    with db.read() as conn:
        assert [t.run_id for t in list_task_runs(conn, run.run_id)] == sorted(
            [retry.run_id, skipped.run_id, fresh.run_id]
        )
        assert [t.run_id for t in list_active_task_runs(conn, run.run_id)] == [
            retry.run_id,
            fresh.run_id,
        ]


def test_create_task_runs_rejects_illegal_initial_states(db: Database, make_run: MakeRun) -> None:
    run = make_run()
    with db.transaction() as conn, pytest.raises(IllegalTransitionError):
        create_task_runs(
            conn,
            [NewTaskRun(job_run_id=run.run_id, task_key="a", task={}, life_cycle_state=L.RUNNING)],
            now_ms=NOW,
        )


def test_create_task_runs_without_now_reads_the_system_clock(
    db: Database, make_run: MakeRun
) -> None:
    run = make_run()
    before = time.time_ns() // 1_000_000
    with db.transaction() as conn:
        create_task_runs(conn, [NewTaskRun(job_run_id=run.run_id, task_key="a", task={})])
        (_, change) = list_state_changes(conn, run.run_id)
    assert before <= change.timestamp <= time.time_ns() // 1_000_000


def test_create_task_runs_of_nothing(db: Database) -> None:
    with db.transaction() as conn:
        assert create_task_runs(conn, [], now_ms=NOW) == []
        transition_task_runs(conn, [], now_ms=NOW)


def test_read_an_unknown_task_run(db: Database) -> None:
    with db.read() as conn, pytest.raises(NotFoundError, match=r"^Run 3 does not exist\.$"):
        read_task_run(conn, 3)


def test_transition_task_runs_through_the_life_cycle(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    run = make_run()
    a, b = make_task_runs(run.run_id, ["a", "b"])
    with db.transaction() as conn:
        transition_task_runs(
            conn,
            [
                TaskRunTransition(a.run_id, L.BLOCKED, L.PENDING),
                TaskRunTransition(b.run_id, L.BLOCKED, L.SKIPPED, R.UPSTREAM_FAILED, "upstream"),
            ],
            now_ms=NOW + 1,
        )
        transition_task_runs(
            conn,
            [
                TaskRunTransition(
                    a.run_id,
                    L.PENDING,
                    L.RUNNING,
                    message="In run",
                    changes=TaskRunChanges(pid=4242, process_start=99, task_dir="/t/a"),
                )
            ],
            now_ms=NOW + 2,
        )
        running = read_task_run(conn, a.run_id)
        assert running.start_time == NOW + 2
        assert (running.pid, running.process_start, running.task_dir) == (4242, 99, "/t/a")
        transition_task_runs(
            conn,
            [
                TaskRunTransition(
                    a.run_id,
                    L.RUNNING,
                    L.TERMINATED,
                    R.FAILED,
                    "boom",
                    changes=TaskRunChanges(
                        error="ValueError: boom",
                        error_trace="Traceback ...",
                        exit_value="x" * 10,
                        execution_duration=7,
                        resolved_values={"notebook_task": {"base_parameters": {"a": "1"}}},
                    ),
                )
            ],
            now_ms=NOW + 9,
        )
    with db.read() as conn:
        done = read_task_run(conn, a.run_id)
        skipped = read_task_run(conn, b.run_id)
        history = list_state_changes(conn, run.run_id)
    assert done.life_cycle_state is L.TERMINATED and done.result_state is R.FAILED
    assert (done.start_time, done.end_time, done.execution_duration) == (NOW + 2, NOW + 9, 7)
    assert done.termination_code == "RUN_EXECUTION_ERROR"
    assert done.state_message == "boom"
    assert done.resolved_values == {"notebook_task": {"base_parameters": {"a": "1"}}}
    assert done.error == "ValueError: boom"
    assert skipped.end_time == NOW + 1 and skipped.state_message == "upstream"
    assert skipped.termination_code == "SKIPPED"
    assert [(c.task_run_id, c.to_state, c.result_state) for c in history[3:]] == [
        (a.run_id, "PENDING", None),
        (b.run_id, "SKIPPED", "UPSTREAM_FAILED"),
        (a.run_id, "RUNNING", None),
        (a.run_id, "TERMINATED", "FAILED"),
    ]


def test_a_given_start_time_wins_over_now(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    (a,) = make_task_runs(make_run().run_id, ["a"], life_cycle_state=L.PENDING)
    with db.transaction() as conn:
        transition_task_runs(
            conn,
            [
                TaskRunTransition(
                    a.run_id, L.PENDING, L.RUNNING, changes=TaskRunChanges(start_time=5)
                )
            ],
            now_ms=NOW,
        )
        assert read_task_run(conn, a.run_id).start_time == 5


@pytest.mark.parametrize("known_job_run", [False, True], ids=["lookup", "fast-path"])
def test_a_lost_compare_and_set_rolls_back_the_whole_batch(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns, known_job_run: bool
) -> None:
    run = make_run()
    job_run_id = run.run_id if known_job_run else None
    a, b = make_task_runs(run.run_id, ["a", "b"])
    with db.transaction() as conn:
        transition_task_runs(conn, [TaskRunTransition(b.run_id, L.BLOCKED, L.PENDING)], now_ms=NOW)
    with (
        pytest.raises(ConflictError, match=f"task run {b.run_id} is PENDING, not BLOCKED"),
        db.transaction() as conn,
    ):
        transition_task_runs(
            conn,
            [
                TaskRunTransition(a.run_id, L.BLOCKED, L.PENDING, job_run_id=job_run_id),
                TaskRunTransition(b.run_id, L.BLOCKED, L.PENDING, job_run_id=job_run_id),
            ],
            now_ms=NOW,
        )
    with db.read() as conn:
        assert read_task_run(conn, a.run_id).life_cycle_state is L.BLOCKED
        assert len(list_state_changes(conn, run.run_id)) == 4


def test_a_task_run_may_move_several_times_in_one_batch(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    run = make_run()
    a, b = make_task_runs(run.run_id, ["a", "b"])
    with db.transaction() as conn:
        transition_task_runs(
            conn,
            [
                TaskRunTransition(a.run_id, L.BLOCKED, L.PENDING),
                TaskRunTransition(b.run_id, L.BLOCKED, L.PENDING),
                TaskRunTransition(a.run_id, L.PENDING, L.RUNNING, changes=TaskRunChanges(pid=1)),
                TaskRunTransition(a.run_id, L.RUNNING, L.TERMINATED, R.SUCCESS),
            ],
            now_ms=NOW + 3,
        )
        done = read_task_run(conn, a.run_id)
        assert (done.life_cycle_state, done.pid, done.start_time, done.end_time) == (
            L.TERMINATED,
            1,
            NOW + 3,
            NOW + 3,
        )
        assert read_task_run(conn, b.run_id).life_cycle_state is L.PENDING
        history = list_state_changes(conn, run.run_id)
    assert [(c.task_run_id, c.to_state) for c in history[3:]] == [
        (a.run_id, "PENDING"),
        (b.run_id, "PENDING"),
        (a.run_id, "RUNNING"),
        (a.run_id, "TERMINATED"),
    ]
    with db.transaction() as conn, pytest.raises(ConflictError, match="is RUNNING, not PENDING"):
        transition_task_runs(
            conn,
            [
                TaskRunTransition(b.run_id, L.PENDING, L.RUNNING),
                TaskRunTransition(b.run_id, L.PENDING, L.RUNNING),
            ],
            now_ms=NOW,
        )


def test_task_runs_never_leave_a_terminal_state(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    (a,) = make_task_runs(
        make_run().run_id, ["a"], life_cycle_state=L.SKIPPED, result_state=R.EXCLUDED
    )
    with db.transaction() as conn, pytest.raises(IllegalTransitionError):
        transition_task_runs(conn, [TaskRunTransition(a.run_id, L.SKIPPED, L.PENDING)], now_ms=NOW)


def test_transition_task_runs_rejects_bad_input(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    (a,) = make_task_runs(make_run().run_id, ["a"])
    with db.transaction() as conn:
        with pytest.raises(NotFoundError, match="Run 999 does not exist"):
            transition_task_runs(conn, [TaskRunTransition(999, L.BLOCKED, L.PENDING)], now_ms=NOW)
        with pytest.raises(IllegalTransitionError):
            transition_task_runs(
                conn, [TaskRunTransition(a.run_id, L.BLOCKED, L.TERMINATED)], now_ms=NOW
            )


def test_update_task_run(db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns) -> None:
    (a,) = make_task_runs(make_run().run_id, ["a"])
    with db.transaction() as conn:
        update_task_run(
            conn,
            a.run_id,
            logs="hello\n",
            logs_truncated=True,
            condition_outcome="true",
            child_run_id=77,
            cancel_requested=True,
            state_message="Installing libraries",
        )
        update_task_run(conn, a.run_id)
        updated = read_task_run(conn, a.run_id)
        with pytest.raises(ValueError, match="life_cycle_state"):
            update_task_run(conn, a.run_id, life_cycle_state="RUNNING")
        with pytest.raises(ValueError, match="job_run_id"):
            update_task_run(conn, a.run_id, job_run_id=3)
        with pytest.raises(ValueError, match="no column"):
            update_task_run(conn, a.run_id, colour="red")
        with pytest.raises(NotFoundError):
            update_task_run(conn, 404, pid=1)
        with pytest.raises(NotFoundError):
            update_task_run(conn, 404)
    assert (updated.logs, updated.logs_truncated, updated.condition_outcome) == (
        "hello\n",
        True,
        "true",
    )
    assert updated.child_run_id == 77 and updated.cancel_requested
    assert updated.state_message == "Installing libraries"


def test_a_batch_of_a_thousand_transitions(
    db: Database, make_run: MakeRun, make_task_runs: MakeTaskRuns
) -> None:
    run = make_run()
    started = time.perf_counter()
    tasks = make_task_runs(run.run_id, [f"t{i}" for i in range(1000)])
    created = time.perf_counter()
    with db.transaction() as conn:
        transition_task_runs(
            conn,
            [TaskRunTransition(t.run_id, L.BLOCKED, L.PENDING) for t in tasks],
            now_ms=NOW,
        )
    moved = time.perf_counter()
    with db.transaction() as conn:
        transition_task_runs(
            conn,
            [TaskRunTransition(t.run_id, L.PENDING, L.TERMINATED, R.SUCCESS, "ok") for t in tasks],
            now_ms=NOW + 1,
        )
    with db.read() as conn:
        done = list_task_runs(conn, run.run_id)
    finished = time.perf_counter()
    print(
        f"\n{db.dialect_name}: create 1000 {1000 * (created - started):.1f} ms, "
        f"transition 1000 {1000 * (moved - created):.1f} ms, "
        f"finish+list 1000 {1000 * (finished - moved):.1f} ms"
    )
    assert {t.life_cycle_state for t in done} == {L.TERMINATED}
    assert {t.end_time for t in done} == {NOW + 1}
    assert len(done) == 1000
