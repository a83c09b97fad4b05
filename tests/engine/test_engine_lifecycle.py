"""Retries, timeouts, cancellation and repair through the real engine with real task processes.

The timing logic itself (retry intervals, timeouts, queue promotion) is tested on a fake clock
in ``test_retrying.py``, ``test_stopping.py`` and ``test_queueing.py``; these keep what needs a
real process: killing process groups, cleanup tasks after a real cancel, repairs."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from brickyard.engine import RepairRequest
from brickyard.errors import InvalidInputError, InvalidStateError
from brickyard.states import LifeCycleState, ResultState


def wait_for_file(path: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.02)


def flaky(harness: Any, name: str, failures: int) -> str:
    """A script that fails its first ``failures`` executions, then succeeds."""
    counter = harness.root / f"{name}.count"
    return harness.script(
        f"{name}.py",
        f"""
        from pathlib import Path
        p = Path({str(counter)!r})
        n = int(p.read_text()) if p.exists() else 0
        p.write_text(str(n + 1))
        if n < {failures}:
            raise RuntimeError(f"failure {{n + 1}}")
    """,
    )


def test_retries_stop_at_max_retries(harness: Any, py: Any) -> None:
    script = flaky(harness, "always", failures=99)
    done = harness.run({"tasks": [py("t", script, max_retries=1)]})
    assert [a.result_state for a in done.attempts("t")] == [ResultState.FAILED, ResultState.FAILED]
    assert done.run.result_state is ResultState.FAILED


def test_max_retries_minus_one_retries_until_success(harness: Any, py: Any) -> None:
    script = flaky(harness, "forever", failures=3)
    done = harness.run({"tasks": [py("t", script, max_retries=-1)]})
    assert len(done.attempts("t")) == 4 and done.latest("t").result_state is ResultState.SUCCESS


@pytest.mark.parametrize("retry_on_timeout", [False, True])
def test_task_timeout_kills_the_process_group(
    harness: Any, py: Any, retry_on_timeout: bool
) -> None:
    child_pid = harness.root / "child.pid"
    harness.script(
        "slow.py",
        f"""
        import subprocess, time
        child = subprocess.Popen(["sleep", "60"])
        open({str(child_pid)!r}, "w").write(str(child.pid))
        time.sleep(60)
    """,
    )
    done = harness.run(
        {
            "tasks": [
                py(
                    "slow",
                    "slow.py",
                    timeout_seconds=1,
                    max_retries=1,
                    retry_on_timeout=retry_on_timeout,
                )
            ]
        }
    )
    attempts = done.attempts("slow")
    assert attempts[0].result_state is ResultState.TIMEDOUT
    assert attempts[0].user_cancelled_or_timedout
    assert len(attempts) == (2 if retry_on_timeout else 1)
    assert done.run.result_state is ResultState.TIMEDOUT
    pid = int(child_pid.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the task's child process survived the timeout")


def test_cancelling_a_run_kills_tasks_but_cleanup_still_runs(harness: Any, py: Any) -> None:
    started = harness.root / "started"
    harness.script("slow.py", f"open({str(started)!r}, 'w').close(); import time; time.sleep(60)\n")
    harness.script("ok.py", "pass\n")
    run = harness.submit(
        {
            "tasks": [
                py("slow", "slow.py"),
                py("after", "ok.py", "slow"),
                py("cleanup", "ok.py", "slow", run_if="ALL_DONE"),
            ]
        }
    )

    def cancel() -> None:
        wait_for_file(started)
        harness.services.engine.cancel_run(run.run_id)

    threading.Thread(target=cancel, daemon=True).start()
    done = harness.wait(run.run_id)
    assert done.results() == {
        "slow": "CANCELED",
        "after": "UPSTREAM_CANCELED",
        "cleanup": "SUCCESS",
    }
    assert done.run.result_state is ResultState.CANCELED
    assert done.run.user_cancelled_or_timedout


def test_cancelling_one_task_run_propagates_downstream(harness: Any, py: Any) -> None:
    started = harness.root / "started"
    harness.script("slow.py", f"open({str(started)!r}, 'w').close(); import time; time.sleep(60)\n")
    harness.script("ok.py", "pass\n")
    run = harness.submit(
        {
            "tasks": [
                py("slow", "slow.py"),
                py("other", "ok.py"),
                py("after", "ok.py", "slow"),
                py("cleanup", "ok.py", "slow", "other", run_if="ALL_DONE"),
            ]
        }
    )

    def cancel() -> None:
        wait_for_file(started)
        task_run = harness.read(run.run_id).latest("slow")
        harness.services.engine.cancel_task_run(task_run.run_id)

    threading.Thread(target=cancel, daemon=True).start()
    done = harness.wait(run.run_id)
    assert done.results() == {
        "slow": "CANCELED",
        "other": "SUCCESS",
        "after": "UPSTREAM_CANCELED",
        "cleanup": "SUCCESS",
    }


def test_serve_drives_runs_in_a_background_thread_until_stopped(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    services = harness.services
    services.start_engine()
    try:
        run = harness.submit({"tasks": [py("a", "ok.py")]})
        deadline = time.monotonic() + 30
        while harness.read(run.run_id).run.life_cycle_state is not LifeCycleState.TERMINATED:
            assert time.monotonic() < deadline, "the background engine did not finish the run"
            time.sleep(0.02)
    finally:
        services.stop_engine()
    assert harness.read(run.run_id).run.result_state is ResultState.SUCCESS
    assert services._engine_thread is None


def test_repair_reruns_failed_tasks_inside_the_same_run(harness: Any, py: Any) -> None:
    marker = harness.root / "fixed"
    harness.script(
        "maybe.py",
        f"""
        import os, sys
        if not os.path.exists({str(marker)!r}):
            raise RuntimeError("not fixed yet")
        print("repair count", sys.argv[1])
    """,
    )
    harness.script("ok.py", "pass\n")
    job = {
        "tasks": [
            py("a", "ok.py"),
            {
                "task_key": "b",
                "depends_on": [{"task_key": "a"}],
                "spark_python_task": {
                    "python_file": "maybe.py",
                    "parameters": ["{{job.repair_count}}"],
                },
            },
            py("c", "ok.py", "b"),
        ]
    }
    first = harness.run(job)
    assert first.results() == {"a": "SUCCESS", "b": "FAILED", "c": "UPSTREAM_FAILED"}
    with pytest.raises(InvalidInputError):
        harness.services.engine.repair(RepairRequest(run_id=first.run.run_id))
    marker.write_text("yes")
    engine = harness.services.engine
    repair = engine.repair(RepairRequest(run_id=first.run.run_id, rerun_all_failed_tasks=True))
    assert harness.read(first.run.run_id).run.life_cycle_state is LifeCycleState.PENDING
    done = harness.wait(first.run.run_id)
    assert done.run.run_id == first.run.run_id
    assert done.run.result_state is ResultState.SUCCESS
    assert len(done.attempts("a")) == 1  # a succeeded: not run again
    assert [a.result_state for a in done.attempts("b")] == [ResultState.FAILED, ResultState.SUCCESS]
    assert done.latest("b").repair_id == repair.repair_id
    assert done.latest("b").resolved_values == {"spark_python_task": {"parameters": ["1"]}}
    assert done.run.repair_count == 1 and done.run.latest_repair_id == repair.repair_id
    with pytest.raises(InvalidInputError, match="latest repair ID"):
        engine.repair(RepairRequest(run_id=done.run.run_id, rerun_tasks=["a"]))
    again = engine.repair(
        RepairRequest(
            run_id=done.run.run_id,
            rerun_tasks=["a"],
            rerun_dependent_tasks=True,
            latest_repair_id=repair.repair_id,
        )
    )
    final = harness.wait(done.run.run_id)
    assert {tr.task_key for tr in final.task_runs if tr.repair_id == again.repair_id} == {
        "a",
        "b",
        "c",
    }


def test_repair_of_a_running_run_is_refused(harness: Any, py: Any) -> None:
    harness.script("slow.py", "import time; time.sleep(2)\n")
    run = harness.submit({"tasks": [py("slow", "slow.py")]})
    with pytest.raises(InvalidStateError):
        harness.services.engine.repair(
            RepairRequest(run_id=run.run_id, rerun_all_failed_tasks=True)
        )
    harness.wait(run.run_id)


def test_a_library_that_fails_to_install_fails_the_task_with_pips_message(
    harness: Any,
) -> None:
    harness.script("requirements.txt", "this is not a requirement !!\n")
    done = harness.run(
        {
            "tasks": [
                {
                    "task_key": "w",
                    "python_wheel_task": {"package_name": "nothing", "entry_point": "main"},
                    "libraries": [{"requirements": "requirements.txt"}],
                    "max_retries": 1,
                }
            ]
        }
    )
    attempts = done.attempts("w")
    assert all(a.termination_code == "LIBRARY_INSTALLATION_ERROR" for a in attempts)
    assert len(attempts) == 2  # an install failure is a failed attempt: the retry policy applies
    message = attempts[-1].state_message
    assert "requirements.txt" in message or "Invalid requirement" in message, message
    assert done.run.result_state is ResultState.FAILED
