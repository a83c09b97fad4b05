"""What ``brickyard run`` shows while and after a run: each failed task's error and where its
trace is, running tasks' elapsed time and last log line; ``runs logs --follow``."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import nbformat

SLOW = """\
import sys, time
for step in (1, 2, 3):
    print(f"step {step} of 3", flush=True)
    time.sleep(1.5)
print("a warning on stderr", file=sys.stderr, flush=True)
"""

WAITS_FOR_MARKER = """\
import pathlib, sys, time
print("first line", flush=True)
print("first error line", file=sys.stderr, flush=True)
marker = pathlib.Path(sys.argv[1])
while not marker.exists():
    time.sleep(0.05)
print("after the marker", flush=True)
"""


def test_summary_shows_each_failed_tasks_error_and_its_trace_files(cli: Any) -> None:
    cli.write("job/load.py", "def load():\n    raise ValueError('bad data in row 17')\nload()\n")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("raise KeyError('region')")]
    cli.write("job/cells.ipynb", nbformat.writes(notebook))
    notebook.cells = [nbformat.v4.new_code_cell("print('fine')\ndbutils.notebook.exit('done')")]
    cli.write("job/exits.ipynb", nbformat.writes(notebook))
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "failing",
                "tasks": [
                    {"task_key": "load", "spark_python_task": {"python_file": "load.py"}},
                    {"task_key": "cells", "notebook_task": {"notebook_path": "cells.ipynb"}},
                    {"task_key": "exits", "notebook_task": {"notebook_path": "exits.ipynb"}},
                ],
            }
        ),
    )

    result = cli("run", str(job))

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    load_at = lines.index("load: ValueError: bad data in row 17")
    task_dirs = cli.home / "runs" / "1"
    (load_dir,) = task_dirs.glob("*-load")
    assert lines[load_at + 1] == f"  full trace: {load_dir / 'stderr.log'}"
    assert "raise ValueError('bad data in row 17')" in (load_dir / "stderr.log").read_text()
    cells_at = lines.index("cells: KeyError: 'region'")
    (cells_dir,) = task_dirs.glob("*-cells")
    assert lines[cells_at + 1 : cells_at + 3] == [
        f"  full trace: {cells_dir / 'stderr.log'}",
        f"  executed notebook: {cells_dir / 'notebook.ipynb'}",
    ]
    assert (cells_dir / "stderr.log").read_text().splitlines()[-1] == "KeyError: 'region'"
    # a notebook's stderr has what it wrote, not the kernel's shutdown warning
    (exits_dir,) = task_dirs.glob("*-exits")
    assert (exits_dir / "stdout.log").read_text() == "fine\n"
    assert (exits_dir / "stderr.log").read_text() == ""
    assert (cells_dir / "stderr.log").read_text().count("WARNING") == 0
    # the table's message column has the error, not only Databricks' generic wording
    assert any("│ ValueError: bad data in row 17" in line for line in lines)
    # ... which the API keeps: the state message stays Databricks' own
    body = json.loads(cli("runs", "get", "1").stdout)
    messages = {t["task_key"]: t["state"]["state_message"] for t in body["tasks"]}
    assert messages["load"] == "Workload failed, see run output for details"


def test_a_long_task_shows_its_elapsed_time_and_last_log_line(cli: Any) -> None:
    cli.write("job/slow.py", SLOW)
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "slow",
                "tasks": [{"task_key": "slow", "spark_python_task": {"python_file": "slow.py"}}],
            }
        ),
    )

    result = cli("run", str(job))

    assert result.returncode == 0, result.stderr
    running = [line for line in result.stdout.splitlines() if " running " in line]
    assert running, result.stdout
    shown = [re.search(r"attempt 0\s+(\d+\.\d)s  \| (.*)$", line) for line in running]
    assert all(shown), running
    seconds = [float(match.group(1)) for match in shown if match]
    assert seconds == sorted(seconds) and seconds[0] >= 2.0
    assert {match.group(2) for match in shown if match} <= {
        "step 1 of 3",
        "step 2 of 3",
        "step 3 of 3",
        "a warning on stderr",
    }
    assert any("step 2 of 3" in line or "step 3 of 3" in line for line in running)


def test_runs_logs_follow_tails_a_running_task_until_it_ends(cli: Any, tmp_path: Path) -> None:
    marker = tmp_path / "go"
    cli.write("job/waits.py", WAITS_FOR_MARKER)
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "waits",
                "tasks": [
                    {
                        "task_key": "waits",
                        "spark_python_task": {
                            "python_file": "waits.py",
                            "parameters": [str(marker)],
                        },
                    }
                ],
            }
        ),
    )
    run = cli.start("run", str(job))
    try:
        deadline = time.monotonic() + 60
        while not list((cli.home / "runs" / "1").glob("*-waits/stdout.log")):
            assert time.monotonic() < deadline, "the task never started"
            time.sleep(0.1)
        follow = subprocess.Popen(
            cli.command("runs", "logs", "1", "--task", "waits", "--follow"),
            env=cli.env,
            cwd=cli.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert follow.stdout is not None
        assert follow.stdout.readline() == "first line\n"
        # the task is still running (it waits for the marker) and follow is still reading
        assert run.poll() is None and follow.poll() is None
        marker.touch()
        rest, errors = follow.communicate(timeout=60)
        assert follow.returncode == 0, errors
        assert rest == "after the marker\n"
        assert errors == "first error line\n"
        assert run.wait(timeout=60) == 0
    finally:
        run.kill()


def test_runs_logs_follow_needs_a_task(cli: Any) -> None:
    result = cli("runs", "logs", "1", "--follow")

    assert result.returncode == 2
    assert "--follow needs --task" in result.stderr
