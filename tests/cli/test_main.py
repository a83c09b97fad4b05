"""``brickyard validate`` and ``brickyard run`` refuse a job file whose schedule cannot run,
naming the file and the field (the check is part of reading the job file)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from brickyard.cli.main import app

TASKS = [{"task_key": "t", "spark_python_task": {"python_file": "t.py"}}]


def _job_file(tmp_path: Path, schedule: dict[str, str]) -> Path:
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"name": "j", "tasks": TASKS, "schedule": schedule}))
    return path


def test_validate_names_the_schedule_fields_that_cannot_run(tmp_path: Path, home: Path) -> None:
    job_file = _job_file(tmp_path, {"quartz_cron_expression": "0 2 * * *", "timezone_id": "Mars"})
    result = CliRunner().invoke(app, ["validate", str(job_file)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "schedule.quartz_cron_expression",
        "schedule.timezone_id",
    ]
    assert all(line.startswith(f"{job_file}: ") for line in lines)
    assert "0 0 2 * * ?" in lines[0]


def test_run_refuses_the_job_file_before_storing_anything(tmp_path: Path, home: Path) -> None:
    job_file = _job_file(tmp_path, {"quartz_cron_expression": "0 0 25 * * ?", "timezone_id": "UTC"})
    result = CliRunner().invoke(app, ["run", str(job_file)])
    assert result.exit_code == 2
    assert "schedule.quartz_cron_expression" in result.stderr
    assert not home.exists()
