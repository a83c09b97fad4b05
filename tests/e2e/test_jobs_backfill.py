"""``brickyard jobs backfill`` end to end: the real command, a job file run once, real task
processes, and the store read afterwards."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from brickyard import storage
from brickyard.settings import Settings
from brickyard.states import ResultState

pytestmark = pytest.mark.e2e

QUEUE_REASON = "Queued due to reaching maximum concurrent runs of 1."


def test_backfill_runs_each_interval_with_its_date_one_at_a_time_in_order(cli: Any) -> None:
    cli.write(
        "job/daily.py",
        "import sys, time\nprint('run_date=' + sys.argv[1])\ntime.sleep(0.3)\n",
    )
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "daily-etl",
                "schedule": {
                    "quartz_cron_expression": "0 0 2 * * ?",
                    "timezone_id": "Europe/Paris",
                    "pause_status": "PAUSED",
                },
                "max_concurrent_runs": 1,
                "parameters": [{"name": "run_date", "default": "{{job.trigger.time.iso_date}}"}],
                "tasks": [
                    {
                        "task_key": "load",
                        "spark_python_task": {
                            "python_file": "daily.py",
                            "parameters": ["{{job.parameters.run_date}}"],
                        },
                    }
                ],
            }
        ),
    )
    assert cli("run", str(job)).returncode == 0  # registers the job file as job 1 (run 1)

    result = cli(
        "jobs",
        "backfill",
        str(job),
        "--from",
        "2026-03-27",
        "--to",
        "2026-04-01",
        "--param",
        "run_date={{backfill.iso_date}}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # Quartz has no 02:00 on 2026-03-29 in Paris (spring forward): four intervals
    assert out.startswith(
        "Backfill of job 1 'daily-etl': 4 runs from 2026-03-27T00:00:00+01:00 to "
        "2026-04-01T00:00:00+02:00, 1 at a time"
    )
    assert out.count(f"QUEUED                  {QUEUE_REASON}") == 3
    assert "4 SUCCESS" in out

    database = storage.Database.open(Settings.from_env(cli.env).database_url)
    try:
        with database.read() as conn:
            runs = sorted(storage.list_runs(conn, job_id=1), key=lambda r: r.run_id)[1:]
            tasks = [storage.list_task_runs(conn, r.run_id)[0] for r in runs]
            histories = [storage.list_state_changes(conn, r.run_id) for r in runs]
    finally:
        database.dispose()

    dates = ["2026-03-27", "2026-03-28", "2026-03-30", "2026-03-31"]
    assert [r.result_state for r in runs] == [ResultState.SUCCESS] * 4
    assert [r.job_parameters[0]["value"] for r in runs] == dates
    for task, date in zip(tasks, dates, strict=True):
        assert task.task_dir is not None
        stdout = (Path(task.task_dir) / "stdout.log").read_text()
        assert stdout.strip() == f"run_date={date}"
    # one at a time, oldest first: each task started after the previous run's task ended
    for earlier, later in itertools.pairwise(tasks):
        assert later.start_time >= earlier.end_time > earlier.start_time
    # all but the first waited in the queue with the reason, and the queue time is recorded
    queued = [
        [c.message for c in history if c.task_run_id is None and c.to_state == "QUEUED"]
        for history in histories
    ]
    assert queued == [[], [QUEUE_REASON], [QUEUE_REASON], [QUEUE_REASON]]
    assert runs[0].queue_duration == 0
    assert all(r.queue_duration > 0 for r in runs[1:])

    listed = json.loads(cli("jobs", "list", "--output", "json").stdout)["jobs"]
    assert [(j["name"], j["status"]) for j in listed] == [("daily-etl", "PAUSED")]
