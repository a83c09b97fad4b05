"""Runs through the real engine: dependencies, run_if, results, task values, parameters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brickyard import storage
from brickyard.states import LifeCycleState, ResultState, RunType


def test_a_chain_runs_in_order_and_succeeds(harness: Any, py: Any) -> None:
    log = harness.root / "order.txt"
    for name in "abc":
        harness.script(f"{name}.py", f"open({str(log)!r}, 'a').write('{name}')\n")
    done = harness.run(
        {"name": "chain", "tasks": [py("a", "a.py"), py("b", "b.py", "a"), py("c", "c.py", "b")]}
    )
    assert done.run.life_cycle_state is LifeCycleState.TERMINATED
    assert done.run.result_state is ResultState.SUCCESS
    assert log.read_text() == "abc"
    b, c = done.latest("b"), done.latest("c")
    assert done.latest("a").end_time <= b.start_time and b.end_time <= c.start_time
    assert {tr.pid for tr in done.task_runs} and all(tr.task_dir for tr in done.task_runs)


def test_a_failure_skips_downstream_as_upstream_failed(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    harness.script("boom.py", "raise ValueError('boom')\n")
    done = harness.run(
        {"tasks": [py("a", "boom.py"), py("b", "ok.py", "a"), py("c", "ok.py", "b")]}
    )
    assert done.results() == {"a": "FAILED", "b": "UPSTREAM_FAILED", "c": "UPSTREAM_FAILED"}
    assert done.latest("b").life_cycle_state is LifeCycleState.SKIPPED
    failed = done.latest("a")
    assert failed.error == "ValueError: boom"
    assert "Traceback" in (failed.error_trace or "")
    assert done.run.result_state is ResultState.FAILED
    assert "Task a failed" in done.run.state_message


def test_all_done_cleanup_leaf_gives_success_with_failures(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    harness.script("boom.py", "raise SystemExit(3)\n")
    done = harness.run(
        {
            "tasks": [
                py("etl", "boom.py"),
                py("cleanup", "ok.py", "etl", run_if="ALL_DONE"),
            ]
        }
    )
    assert done.results() == {"etl": "FAILED", "cleanup": "SUCCESS"}
    assert done.run.result_state is ResultState.SUCCESS_WITH_FAILURES


def test_failure_handler_runs_only_after_a_failure(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    harness.script("boom.py", "raise RuntimeError('x')\n")

    def job(script: str) -> dict[str, Any]:
        return {
            "tasks": [
                py("etl", script),
                py("on_failure", "ok.py", "etl", run_if="AT_LEAST_ONE_FAILED"),
            ]
        }

    failed = harness.run(job("boom.py"))
    assert failed.results() == {"etl": "FAILED", "on_failure": "SUCCESS"}
    # the handler is the only leaf and it succeeded
    assert failed.run.result_state is ResultState.SUCCESS_WITH_FAILURES
    ok = harness.run(job("ok.py"))
    assert ok.results() == {"etl": "SUCCESS", "on_failure": "EXCLUDED"}
    assert ok.run.result_state is ResultState.SUCCESS


def test_task_values_and_references_flow_downstream(harness: Any, py: Any) -> None:
    harness.script("produce.py", "dbutils.jobs.taskValues.set('rows', 42)\n")
    out = harness.root / "seen.txt"
    harness.script(
        "consume.py", f"import sys; open({str(out)!r}, 'w').write(' '.join(sys.argv[1:]))\n"
    )
    done = harness.run(
        {
            "parameters": [{"name": "env", "default": "dev"}],
            "tasks": [
                py("produce", "produce.py"),
                {
                    "task_key": "consume",
                    "depends_on": [{"task_key": "produce"}],
                    "spark_python_task": {
                        "python_file": "consume.py",
                        "parameters": [
                            "{{tasks.produce.values.rows}}",
                            "{{job.parameters.env}}",
                            "{{job.start_date}}",
                            "{{task.name}}",
                            "{{job.run_id}}",
                        ],
                    },
                },
            ],
        },
        params={"env": "prod"},
    )
    assert done.run.result_state is ResultState.SUCCESS
    rows, env, date, name, run_id = out.read_text().split()
    assert (rows, env, name, run_id) == ("42", "prod", "consume", str(done.run.run_id))
    assert len(date) == 10 and date[4] == "-"
    resolved = done.latest("consume").resolved_values
    assert resolved == {"spark_python_task": {"parameters": [rows, env, date, name, run_id]}}
    assert done.run.job_parameters == [{"name": "env", "default": "dev", "value": "prod"}]


def test_condition_task_takes_one_branch_and_excludes_the_other(harness: Any, py: Any) -> None:
    harness.script("count.py", "dbutils.jobs.taskValues.set('n', 12)\n")
    harness.script("ok.py", "pass\n")
    done = harness.run(
        {
            "tasks": [
                py("count", "count.py"),
                {
                    "task_key": "check",
                    "depends_on": [{"task_key": "count"}],
                    "condition_task": {
                        "op": "GREATER_THAN",
                        "left": "{{tasks.count.values.n}}",
                        "right": "10",
                    },
                },
                py("big", "ok.py") | {"depends_on": [{"task_key": "check", "outcome": "true"}]},
                py("small", "ok.py") | {"depends_on": [{"task_key": "check", "outcome": "false"}]},
                py("after_small", "ok.py", "small"),
            ]
        }
    )
    assert done.results() == {
        "count": "SUCCESS",
        "check": "SUCCESS",
        "big": "SUCCESS",
        "small": "EXCLUDED",
        "after_small": "EXCLUDED",
    }
    assert done.latest("check").condition_outcome == "true"
    assert done.run.result_state is ResultState.SUCCESS


def test_disabled_task_and_its_dependent(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    done = harness.run(
        {
            "tasks": [
                py("a", "ok.py", disabled=True),
                py("b", "ok.py", "a"),
                py("c", "ok.py"),
            ]
        }
    )
    assert done.results() == {"a": "DISABLED", "b": "DISABLED", "c": "SUCCESS"}
    assert done.run.result_state is ResultState.SUCCESS


def test_only_runs_a_subset_with_its_upstream_closure(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    job = {
        "tasks": [py("a", "ok.py"), py("b", "ok.py", "a"), py("c", "ok.py", "b"), py("d", "ok.py")]
    }
    done = harness.run(job, only=["+b"])
    assert done.results() == {"a": "SUCCESS", "b": "SUCCESS"}
    assert done.run.only == ["+b"]


def test_unsupported_task_type_fails_with_a_message(harness: Any) -> None:
    done = harness.run(
        {
            "tasks": [
                {"task_key": "q", "sql_task": {"warehouse_id": "w", "query": {"query_id": "1"}}}
            ]
        }
    )
    task = done.latest("q")
    assert task.result_state is ResultState.FAILED
    assert "sql_task" in task.state_message
    assert task.termination_code == "INVALID_RUN_CONFIGURATION"
    assert len(done.attempts("q")) == 1


def test_notebook_run_starts_a_workflow_child_run(harness: Any) -> None:
    harness.script(
        "child.py",
        (
            "# Databricks notebook source\n"
            "dbutils.widgets.text('x', '')\n"
            "dbutils.notebook.exit('child got ' + dbutils.widgets.get('x'))\n"
        ),
    )
    out = harness.root / "child-result.txt"
    harness.script(
        "parent.py",
        (
            "# Databricks notebook source\n"
            "value = dbutils.notebook.run('./child', 60, {'x': '7'})\n"
            f"open({str(out)!r}, 'w').write(value)\n"
        ),
    )
    done = harness.run(
        {"tasks": [{"task_key": "parent", "notebook_task": {"notebook_path": "parent"}}]}
    )
    assert done.run.result_state is ResultState.SUCCESS, done.latest("parent").error
    assert out.read_text() == "child got 7"
    with harness.services.database.read() as conn:
        runs = storage.list_runs(conn, run_type=RunType.WORKFLOW_RUN)
    assert len(runs) == 1 and runs[0].parent_task_run_id == done.latest("parent").run_id


def test_a_wide_fan_out_and_in_finishes(harness: Any, py: Any) -> None:
    harness.script("ok.py", "pass\n")
    middle = [py(f"m{i:03d}", "ok.py", "source") for i in range(80)]
    done = harness.run(
        {
            "tasks": [
                py("source", "ok.py"),
                *middle,
                py("sink", "ok.py", *[t["task_key"] for t in middle]),
            ]
        }
    )
    assert done.run.result_state is ResultState.SUCCESS
    assert set(done.results().values()) == {"SUCCESS"} and len(done.results()) == 82


def test_the_loop_sleeps_while_every_slot_is_busy(harness: Any, py: Any) -> None:
    """Ready tasks beyond max_parallel_tasks wait for an exit, not in a busy loop."""
    harness.settings = replace(harness.settings, max_parallel_tasks=1)
    harness.script("slow.py", "import time; time.sleep(0.5)\n")
    engine = harness.services.engine
    calls = 0
    run_once = engine.run_once

    def counting() -> float:
        nonlocal calls
        calls += 1
        return run_once()

    engine.run_once = counting  # type: ignore[method-assign]
    done = harness.run({"tasks": [py("a", "slow.py"), py("b", "slow.py")]})
    assert done.run.result_state is ResultState.SUCCESS
    assert calls < 200, f"the loop ran {calls} times for two half-second tasks"
