"""``brickyard jobs pause|resume|backfill|list`` in-process against a real store in a fresh
home, with real task processes for the backfills."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from brickyard import storage
from brickyard.app import build_services
from brickyard.cli.main import app
from brickyard.settings import Settings
from brickyard.states import LifeCycleState, ResultState

TASKS = [{"task_key": "t", "spark_python_task": {"python_file": "t.py"}}]
PARIS_2AM = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "Europe/Paris"}


@pytest.fixture
def db(home: Path) -> Iterator[storage.Database]:
    home.mkdir(parents=True, exist_ok=True)
    database = storage.Database.open(Settings.from_env().database_url)
    yield database
    database.dispose()


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, ["jobs", *args])


def add_job(db: storage.Database, source: Path | None = None, **settings: Any) -> int:
    body = {"name": "daily-etl", "tasks": TASKS, **settings}
    with db.transaction() as conn:
        job = storage.create_job(conn, body, now_ms=0, source_path=str(source) if source else None)
    return job.job_id


def read(db: storage.Database, job_id: int) -> tuple[storage.JobRecord, list[Any]]:
    with db.read() as conn:
        return storage.read_job(conn, job_id), storage.list_job_triggers(conn, job_id)


def runs_of(db: storage.Database, job_id: int) -> list[storage.RunRecord]:
    with db.read() as conn:
        return sorted(storage.list_runs(conn, job_id=job_id, limit=100), key=lambda r: r.run_id)


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("brickyard: ") and result.stderr.count("\n") == 1
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# --- pause / resume ----------------------------------------------------------------------


def test_pause_and_resume_change_every_entry_and_the_trigger_rows(db: storage.Database) -> None:
    job_id = add_job(
        db,
        schedule=PARIS_2AM,
        trigger={"periodic": {"interval": 2, "unit": "HOURS"}},
        triggers=[
            {"schedule": {"quartz_cron_expression": "0 0 3 * * ?", "timezone_id": "UTC"}},
            {"file_arrival": {"url": "/Volumes/main/in"}, "pause_status": "UNPAUSED"},
        ],
    )
    paused = cli("pause", str(job_id))
    assert paused.exit_code == 0, paused.output
    assert "Paused job 1 'daily-etl': schedule, trigger, triggers[0], triggers[1] now PAUSED" in (
        paused.stdout
    )
    job, rows = read(db, job_id)
    settings = job.settings
    entries = [settings["schedule"], settings["trigger"], *settings["triggers"]]
    assert [entry["pause_status"] for entry in entries] == ["PAUSED"] * 4
    assert job.version == 2
    assert [(row.kind, row.paused, row.due_time) for row in rows] == [
        ("schedule", True, None),
        ("periodic", True, None),
        ("schedule", True, None),
        ("file_arrival", True, None),
    ]

    again = cli("pause", "daily-etl")
    assert again.exit_code == 0 and "already paused: nothing changed" in again.stdout
    assert read(db, job_id)[0].version == 2

    before = int(time.time() * 1000)
    resumed = cli("resume", "DAILY-ETL")
    assert resumed.exit_code == 0, resumed.output
    assert "now UNPAUSED (settings version 3)" in resumed.stdout
    job, rows = read(db, job_id)
    entries = [job.settings["schedule"], job.settings["trigger"], *job.settings["triggers"]]
    assert [entry["pause_status"] for entry in entries] == ["UNPAUSED"] * 4
    assert [(row.paused, row.due_time) for row in rows] == [(False, storage.REARM)] * 4
    # the next fire of each cron schedule, in its own zone
    nexts = [line for line in resumed.stdout.splitlines() if line.startswith("Next run: ")]
    assert len(nexts) == 2
    paris = datetime.fromisoformat(nexts[0].split()[2])
    utc = datetime.fromisoformat(nexts[1].split()[2])
    assert (paris.hour, paris.minute, paris.utcoffset() is not None) == (2, 0, True)
    assert paris.isoformat().endswith(("+01:00", "+02:00"))
    assert "(cron 0 0 2 * * ? Europe/Paris)" in nexts[0]
    assert utc.isoformat().endswith("T03:00:00+00:00")
    for moment in (paris, utc):
        assert 0 < moment.timestamp() * 1000 - before <= 86_400_000

    assert "Job 1 'daily-etl' is already active" in cli("resume", str(job_id)).stdout
    assert read(db, job_id)[0].version == 3


def test_continuous_job_pauses_too(db: storage.Database) -> None:
    job_id = add_job(db, continuous={"pause_status": "UNPAUSED"})
    result = cli("pause", str(job_id))
    assert result.exit_code == 0, result.output
    job, rows = read(db, job_id)
    assert job.settings["continuous"] == {"pause_status": "PAUSED"}
    assert [(row.kind, row.paused) for row in rows] == [("continuous", True)]


def test_a_job_without_triggers_cannot_be_paused_or_backfilled(db: storage.Database) -> None:
    job_id = add_job(db, name="x")
    assert_one_line_error(
        cli("pause", str(job_id)),
        "job 1 'x' has no schedule, trigger or continuous setting to pause",
    )
    assert_one_line_error(cli("resume", "x"), "to resume")
    assert_one_line_error(
        cli("backfill", "x", "--from", "2026-01-01", "--to", "2026-01-02"),
        "job 1 'x' has no schedule or periodic trigger: a backfill needs one",
    )
    assert read(db, job_id)[0].version == 1


def test_a_server_trigger_service_follows_pause_and_resume(db: storage.Database) -> None:
    job_id = add_job(
        db,
        schedule={
            "quartz_cron_expression": "0/10 * * * * ?",
            "timezone_id": "UTC",
            "pause_status": "PAUSED",
        },
    )
    services = build_services(Settings.from_env(), control_socket=False)
    try:
        now = services.clock.now_ms()
        assert services.triggers.run_once(now).evaluated == 0  # paused: nothing to look at
        assert cli("resume", str(job_id)).exit_code == 0
        assert services.triggers.run_once(now).run_ids == ()  # re-armed for the next fire
        fired = services.triggers.run_once(now + 10_000)
        assert len(fired.run_ids) == 1
        assert cli("pause", str(job_id)).exit_code == 0
        assert services.triggers.run_once(now + 60_000).run_ids == ()
    finally:
        services.close()
    assert len(runs_of(db, job_id)) == 1


# --- the JOB argument ---------------------------------------------------------------------


def test_job_argument_is_an_id_a_registered_file_or_a_name(
    db: storage.Database, tmp_path: Path
) -> None:
    job_file = tmp_path / "jobs" / "daily.json"
    job_file.parent.mkdir()
    job_file.write_text("{}")
    by_file = add_job(db, source=job_file.absolute(), name="from-file", schedule=PARIS_2AM)
    add_job(db, name="Twice", schedule=PARIS_2AM)
    add_job(db, name="twice", schedule=PARIS_2AM)
    numbered = add_job(db, name="2024", schedule=PARIS_2AM)

    assert "job 1 'from-file'" in cli("pause", str(job_file)).stdout
    assert read(db, by_file)[0].settings["schedule"]["pause_status"] == "PAUSED"
    assert "job 4 '2024'" in cli("pause", "2024").stdout  # no job 2024: the name
    assert read(db, numbered)[0].version == 2
    assert_one_line_error(cli("pause", "twice"), "2 jobs are named 'twice' (ids 2, 3)")
    assert_one_line_error(cli("pause", "nope"), "no job has the id, job file or name 'nope'")
    assert_one_line_error(cli("pause", "99"), "job 99 does not exist")
    assert_one_line_error(cli("pause", str(tmp_path / "other.json")), "no such job file")
    unregistered = tmp_path / "new.yml"
    unregistered.write_text("name: new\n")
    assert_one_line_error(cli("pause", str(unregistered)), "has not been run yet")


# --- list ----------------------------------------------------------------------------------


def test_list_shows_triggers_status_and_next_cron_fire(db: storage.Database) -> None:
    add_job(db, name="cron", schedule=PARIS_2AM)
    add_job(db, name="periodic", trigger={"periodic": {"interval": 2, "unit": "HOURS"}})
    add_job(db, name="arrival", trigger={"file_arrival": {"url": "/Volumes/a/b"}})
    add_job(db, name="always", continuous={})
    add_job(db, name="manual")
    add_job(
        db,
        name="mixed",
        schedule={**PARIS_2AM, "pause_status": "PAUSED"},
        triggers=[{"periodic": {"interval": 1, "unit": "DAYS"}}],
    )
    assert cli("pause", "periodic").exit_code == 0

    result = cli("list", "--output", "json")
    assert result.exit_code == 0, result.output
    jobs = {job["name"]: job for job in json.loads(result.stdout)["jobs"]}
    assert [job["job_id"] for job in jobs.values()] == [1, 2, 3, 4, 5, 6]
    described = {name: [t["description"] for t in job["triggers"]] for name, job in jobs.items()}
    assert described == {
        "cron": ["cron 0 0 2 * * ? Europe/Paris"],
        "periodic": ["every 2 HOURS"],
        "arrival": ["file arrival /Volumes/a/b"],
        "always": ["continuous"],
        "manual": [],
        "mixed": ["cron 0 0 2 * * ? Europe/Paris (paused)", "every 1 DAYS"],
    }
    status = {name: job["status"] for name, job in jobs.items()}
    assert status == {
        "cron": "active",
        "periodic": "PAUSED",
        "arrival": "active",
        "always": "active",
        "manual": None,
        "mixed": "active",
    }
    nexts = {name: job["next_fire_time"] for name, job in jobs.items()}
    assert nexts["cron"] is not None and "T02:00:00+0" in nexts["cron"]
    assert {name for name, value in nexts.items() if value is None} == {
        "periodic",
        "arrival",
        "always",
        "manual",
        "mixed",
    }

    text = cli("list")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    cron_line = next(line for line in lines if " cron " in line and "Europe/Paris" in line)
    assert "active" in cron_line and nexts["cron"] in cron_line
    assert any("every 2 HOURS" in line and "PAUSED" in line for line in lines)
    assert any(" manual " in line and line.count("—") == 3 for line in lines)


# --- backfill --------------------------------------------------------------------------------


def test_dry_run_lists_the_intervals_and_creates_nothing(db: storage.Database) -> None:
    job_id = add_job(db, schedule=PARIS_2AM, max_concurrent_runs=2)
    result = cli("backfill", "daily-etl", "--from", "2026-03-27", "--to", "2026-04-01", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Backfill of job 1 'daily-etl': 4 runs from 2026-03-27T00:00:00+01:00 to "
        "2026-04-01T00:00:00+02:00, 2 at a time (dry run: nothing created)",
        "  2026-03-27T02:00:00+01:00",
        "  2026-03-28T02:00:00+01:00",
        "  2026-03-30T02:00:00+02:00",
        "  2026-03-31T02:00:00+02:00",
    ]
    assert runs_of(db, job_id) == []


def test_bad_backfills_say_why_and_create_nothing(db: storage.Database) -> None:
    job_id = add_job(
        db,
        schedule={"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC"},
        parameters=[{"name": "run_date", "default": ""}],
    )
    week = ("--from", "2026-01-01", "--to", "2026-01-08")
    assert_one_line_error(
        cli("backfill", "1", "--from", "2026-01-01", "--to", "2026-03-01"),
        "holds 1,416 intervals",
        "narrow --from/--to",
    )
    assert_one_line_error(
        cli("backfill", "1", "--from", "2026-01-02", "--to", "2026-01-01"), "is not before --to"
    )
    assert_one_line_error(
        cli("backfill", "1", *week, "--param", "day={{backfill.iso_date}}"),
        "--param 'day': not a parameter of job 1 'daily-etl' (defined: run_date)",
    )
    assert_one_line_error(cli("backfill", "1", "--from", "soon", "--to", "2026-01-02"), "--from")
    assert_one_line_error(cli("backfill", "1", *week, "--param", "novalue"), "NAME=VALUE")
    assert runs_of(db, job_id) == []
    empty = cli("backfill", "1", "--from", "2026-01-01T00:00:01", "--to", "2026-01-01T00:59")
    assert (
        empty.exit_code == 0 and "has no fire time in [2026-01-01T00:00:01+00:00, " in empty.stdout
    )
    assert "nothing to backfill for job 1" in empty.stdout
    assert runs_of(db, job_id) == []


def test_backfill_runs_every_interval_and_reports_the_failures(
    db: storage.Database, tmp_path: Path
) -> None:
    # the run for 2026-01-02 fails; the others print their date
    (tmp_path / "t.py").write_text(
        "import sys\nprint('date=' + sys.argv[1])\nsys.exit(sys.argv[1] == '2026-01-02')\n"
    )
    job_id = add_job(
        db,
        source=tmp_path / "job.json",
        schedule={"quartz_cron_expression": "0 0 6 * * ?", "timezone_id": "UTC"},
        max_concurrent_runs=2,
        parameters=[{"name": "run_date", "default": "{{job.trigger.time.iso_date}}"}],
        tasks=[
            {
                "task_key": "t",
                "spark_python_task": {
                    "python_file": "t.py",
                    "parameters": ["{{job.parameters.run_date}}"],
                },
            }
        ],
    )
    result = cli(
        "backfill",
        "daily-etl",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-04",
        "--param",
        "run_date={{backfill.iso_date}}",
    )
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith(
        "Backfill of job 1 'daily-etl': 3 runs from 2026-01-01T00:00:00+00:00 to "
        "2026-01-04T00:00:00+00:00, 2 at a time  (Ctrl-C cancels)\n"
    )
    runs = runs_of(db, job_id)
    assert [r.result_state for r in runs] == [
        ResultState.SUCCESS,
        ResultState.FAILED,
        ResultState.SUCCESS,
    ]
    assert [p["value"] for r in runs for p in r.job_parameters] == [
        "2026-01-01",
        "2026-01-02",
        "2026-01-03",
    ]
    assert [r.trigger_context for r in runs] == [
        {"backfill_time": int(datetime.fromisoformat(f"2026-01-0{d}T06:00Z").timestamp() * 1000)}
        for d in (1, 2, 3)
    ]
    third = runs[2].run_id
    assert f"  run {third}  2026-01-03T06:00:00+00:00  QUEUED" in out
    assert f"  run {third}  2026-01-03T06:00:00+00:00  RUNNING" in out
    assert f"  run {third}  2026-01-03T06:00:00+00:00  SUCCESS" in out
    assert "finished in" in out and "2 SUCCESS, 1 FAILED" in out
    assert f"Failed runs: {runs[1].run_id}" in out


def test_ctrl_c_cancels_every_run_still_active(db: storage.Database, tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text("import time\ntime.sleep(60)\n")
    job_id = add_job(
        db,
        source=tmp_path / "job.json",
        trigger={"periodic": {"interval": 1, "unit": "DAYS"}},
    )

    def interrupt_when_running() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            runs = runs_of(db, job_id)
            if any(r.life_cycle_state is LifeCycleState.RUNNING for r in runs):
                os.kill(os.getpid(), signal.SIGINT)
                return
            time.sleep(0.05)

    watcher = threading.Thread(target=interrupt_when_running, daemon=True)
    watcher.start()
    started = time.monotonic()
    result = cli(
        "backfill", "daily-etl", "--from", "2026-01-01T00:00Z", "--to", "2026-01-04T00:00Z"
    )
    watcher.join()
    assert result.exit_code == 1, result.output
    assert time.monotonic() - started < 30
    assert "Cancelling 3 backfill runs" in result.stdout
    runs = runs_of(db, job_id)
    assert [r.result_state for r in runs] == [ResultState.CANCELED] * 3
    assert runs[1].state_message == "Run canceled while queued."
    assert "3 CANCELED" in result.stdout
