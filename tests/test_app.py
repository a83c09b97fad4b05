"""The composition root: a job file registered again keeps a pause made from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from brickyard import storage
from brickyard.app import build_services, register_job_file
from brickyard.settings import Settings
from brickyard.spec import load_job_file

SCHEDULE = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Europe/Paris"}


def test_registering_a_job_file_again_keeps_its_pause(tmp_path: Path) -> None:
    job_file = tmp_path / "job.json"
    job_file.write_text(
        json.dumps(
            {
                "name": "nightly",
                "schedule": SCHEDULE,
                "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "t.py"}}],
            }
        )
    )
    services = build_services(
        Settings.from_env({"BRICKYARD_HOME": str(tmp_path / "home")}), control_socket=False
    )
    try:
        job = register_job_file(services, load_job_file(job_file))
        paused = {**job.settings, "schedule": {**SCHEDULE, "pause_status": "PAUSED"}}
        with services.database.transaction() as conn:
            storage.update_job_settings(conn, job.job_id, paused, now_ms=1)
        again = register_job_file(services, load_job_file(job_file))
        assert again.version == 2, "nothing changed, so no new version"
        assert again.settings["schedule"]["pause_status"] == "PAUSED"
        with services.database.read() as conn:
            assert [t.paused for t in storage.list_job_triggers(conn, job.job_id)] == [True]
    finally:
        services.close()
