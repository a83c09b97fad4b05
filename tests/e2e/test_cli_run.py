"""The ``brickyard`` command end to end: run, validate, runs, bad input."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from typing import Any


def test_run_prints_progress_and_exits_zero(cli: Any) -> None:
    cli.write("job/hello.py", "import sys; print('hello', sys.argv[1])\n")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "hello",
                "tasks": [
                    {
                        "task_key": "greet",
                        "spark_python_task": {"python_file": "hello.py", "parameters": ["world"]},
                    },
                    {
                        "task_key": "again",
                        "depends_on": [{"task_key": "greet"}],
                        "spark_python_task": {"python_file": "hello.py", "parameters": ["again"]},
                    },
                ],
            }
        ),
    )
    result = cli("run", str(job))
    assert result.returncode == 0, result.stderr
    assert "greet" in result.stdout and "SUCCESS" in result.stdout
    assert "Logs:" in result.stdout
    logs = cli("runs", "logs", "1", "--task", "greet")
    assert "hello world" in logs.stdout


def test_run_output_json_is_only_the_run(cli: Any, latest_tasks: Any) -> None:
    cli.write("job/fail.py", "raise ValueError('nope')\n")
    job = cli.write(
        "job/job.yml",
        "name: failing\ntasks:\n  - task_key: t\n"
        "    spark_python_task:\n      python_file: fail.py\n",
    )
    result = cli("run", str(job), "--output", "json")
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["state"]["life_cycle_state"] == "TERMINATED"
    assert body["state"]["result_state"] == "FAILED"
    assert body["status"]["termination_details"]["code"] == "RUN_EXECUTION_ERROR"
    assert latest_tasks(body)["t"]["state"]["result_state"] == "FAILED"
    assert body["repair_history"][0]["type"] == "ORIGINAL"


def test_bad_job_file_gets_one_line_and_exit_2(cli: Any) -> None:
    bad = cli.write(
        "bad.json",
        json.dumps(
            {
                "tasks": [
                    {
                        "task_key": "a",
                        "depends_on": [{"task_key": "ghost"}],
                        "spark_python_task": {"python_file": "x.py"},
                    },
                    {"task_key": "a", "notebook_task": {"notebook_path": "n"}},
                ]
            }
        ),
    )
    result = cli("run", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "ghost" in result.stderr and "bad.json" in result.stderr
    validated = cli("validate", str(bad))
    assert validated.returncode == 2
    assert "tasks[0].depends_on[0]" in validated.stderr
    assert len(validated.stderr.strip().splitlines()) >= 2
    missing = cli("run", "nope.json")
    assert missing.returncode == 2 and "nope.json" in missing.stderr
    broken = cli.write("broken.json", '{"tasks": [')
    result = cli("run", str(broken))
    assert (
        result.returncode == 2
        and "broken.json" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_param_and_only_options(cli: Any) -> None:
    cli.write("job/echo.py", "import sys; print('value=' + sys.argv[1])\n")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "parameters": [{"name": "x", "default": "a"}],
                "tasks": [
                    {
                        "task_key": "one",
                        "spark_python_task": {
                            "python_file": "echo.py",
                            "parameters": ["{{job.parameters.x}}"],
                        },
                    },
                    {
                        "task_key": "two",
                        "depends_on": [{"task_key": "one"}],
                        "spark_python_task": {"python_file": "echo.py", "parameters": ["2"]},
                    },
                ],
            }
        ),
    )
    result = cli("run", str(job), "--param", "x=b", "--only", "one", "--output", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert [t["task_key"] for t in body["tasks"]] == ["one"]
    assert "value=b" in cli("runs", "logs", str(body["run_id"])).stdout
    bad = cli("run", str(job), "--param", "undefined=1")
    assert bad.returncode == 2 and "undefined" in bad.stderr
    bad_only = cli("run", str(job), "--only", "ghost")
    assert bad_only.returncode == 2 and "ghost" in bad_only.stderr


def test_runs_list_get_and_repair(cli: Any) -> None:
    marker = cli.root / "fixed"
    cli.write(
        "job/maybe.py", f"import os\nif not os.path.exists({str(marker)!r}): raise SystemExit(1)\n"
    )
    cli.write("job/ok.py", "pass\n")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "rep",
                "tasks": [
                    {"task_key": "a", "spark_python_task": {"python_file": "ok.py"}},
                    {
                        "task_key": "b",
                        "depends_on": [{"task_key": "a"}],
                        "spark_python_task": {"python_file": "maybe.py"},
                    },
                ],
            }
        ),
    )
    assert cli("run", str(job)).returncode == 1
    listed = cli("runs", "list")
    assert listed.returncode == 0 and "rep" in listed.stdout and "FAILED" in listed.stdout
    marker.write_text("ok")
    repaired = cli("runs", "repair", "1")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    body = json.loads(cli("runs", "get", "1").stdout)
    assert body["state"]["result_state"] == "SUCCESS"
    original, repair = body["repair_history"]
    assert (original["type"], repair["type"]) == ("ORIGINAL", "REPAIR")
    assert original["state"]["result_state"] == "FAILED"
    assert repair["state"]["result_state"] == "SUCCESS"
    assert repair["task_run_ids"] == [body["tasks"][-1]["run_id"]]
    assert [t["task_key"] for t in body["tasks"]] == ["a", "b", "b"]
    unknown = cli("runs", "get", "999")
    assert unknown.returncode == 2 and "Run 999 does not exist." in unknown.stderr


def test_ctrl_c_cancels_the_run_cleanly(cli: Any, latest_tasks: Any) -> None:
    started = cli.root / "started"
    cli.write("job/slow.py", f"open({str(started)!r}, 'w').close()\nimport time\ntime.sleep(60)\n")
    cli.write("job/ok.py", "pass\n")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "tasks": [
                    {"task_key": "slow", "spark_python_task": {"python_file": "slow.py"}},
                    {
                        "task_key": "cleanup",
                        "run_if": "ALL_DONE",
                        "depends_on": [{"task_key": "slow"}],
                        "spark_python_task": {"python_file": "ok.py"},
                    },
                ]
            }
        ),
    )
    process = subprocess.Popen(
        cli.command("run", str(job)),
        env=cli.env,
        cwd=cli.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not started.exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, out + err
    assert "Traceback" not in out + err
    assert "Cancelling" in out
    body = json.loads(cli("runs", "get", "1").stdout)
    assert body["state"]["result_state"] == "CANCELED"
    tasks = latest_tasks(body)
    assert tasks["slow"]["state"]["result_state"] == "CANCELED"
    assert tasks["cleanup"]["state"]["result_state"] == "SUCCESS"


def test_runs_cancel_from_another_terminal(cli: Any, latest_tasks: Any) -> None:
    started = cli.root / "started"
    cli.write("job/slow.py", f"open({str(started)!r}, 'w').close()\nimport time\ntime.sleep(60)\n")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {"tasks": [{"task_key": "slow", "spark_python_task": {"python_file": "slow.py"}}]}
        ),
    )
    process = cli.start("run", str(job))
    deadline = time.monotonic() + 30
    while not started.exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    cancelled = cli("runs", "cancel", "1")
    assert cancelled.returncode == 0, cancelled.stderr
    assert process.wait(timeout=60) == 1
    body = json.loads(cli("runs", "get", "1").stdout)
    assert body["state"]["result_state"] == "CANCELED"
    assert latest_tasks(body)["slow"]["state"]["result_state"] == "CANCELED"
