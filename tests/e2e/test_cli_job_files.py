"""``brickyard run`` and ``brickyard validate`` on job files: they agree on what is refused, a
refused run stores nothing, and an active schedule is announced when the job is registered."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from support.seeds import EXAMPLES_DIR, SEEDS_DIR

COMPLEX_ETL = EXAMPLES_DIR / "complex-etl"

GOOD_TASKS = [{"task_key": "one", "spark_python_task": {"python_file": "ok.py"}}]


def stored_jobs(cli: Any) -> list[dict[str, Any]]:
    """The jobs in the CLI's home."""
    listed = cli("jobs", "list", "--output", "json")
    assert listed.returncode == 0, listed.stderr
    jobs: list[dict[str, Any]] = json.loads(listed.stdout)["jobs"]
    return jobs


def test_a_fragment_without_tasks_is_refused_by_validate_and_run_alike(cli: Any) -> None:
    fragment = cli.root / "seed-notification-settings.json"
    shutil.copy(SEEDS_DIR / fragment.name, fragment)

    validated = cli("validate", str(fragment))
    ran = cli("run", str(fragment))

    for result in (validated, ran):
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert str(fragment) in lines[0] and "tasks" in lines[0]
        assert "valid (0 tasks)" not in result.stdout
    assert stored_jobs(cli) == []


@pytest.mark.parametrize(
    ("settings", "arguments", "named"),
    [
        ({"name": "no tasks", "tasks": []}, (), "tasks"),
        ({"name": "undefined parameter", "tasks": GOOD_TASKS}, ("--param", "ghost=1"), "ghost"),
        ({"name": "unknown only key", "tasks": GOOD_TASKS}, ("--only", "ghost"), "ghost"),
        (
            {
                "name": "bad cron",
                "tasks": GOOD_TASKS,
                "schedule": {"quartz_cron_expression": "0 0 0 * * MON", "timezone_id": "UTC"},
            },
            (),
            "day-of-month",
        ),
        (
            {
                "name": "bad dependency",
                "tasks": [{**GOOD_TASKS[0], "depends_on": [{"task_key": "x"}]}],
            },
            (),
            "depends_on",
        ),
    ],
    ids=["no-tasks", "undefined-parameter", "unknown-only-key", "bad-cron", "bad-dependency"],
)
def test_every_refused_run_leaves_no_job_behind(
    cli: Any, settings: dict[str, Any], arguments: tuple[str, ...], named: str
) -> None:
    cli.write("job/ok.py", "print('ok')\n")
    job = cli.write("job/job.json", json.dumps(settings))

    result = cli("run", str(job), *arguments)

    assert result.returncode == 2, result.stdout + result.stderr
    assert named in result.stderr and "Traceback" not in result.stderr
    assert stored_jobs(cli) == []


def test_run_says_when_the_registered_job_has_an_active_schedule(cli: Any) -> None:
    cli.write("job/ok.py", "print('ok')\n")
    schedule = {"quartz_cron_expression": "0 0 2 * * ?", "timezone_id": "UTC"}
    job = cli.write(
        "job/job.json", json.dumps({"name": "nightly", "tasks": GOOD_TASKS, "schedule": schedule})
    )

    first = cli("run", str(job))

    assert first.returncode == 0, first.stderr
    notes = [line for line in first.stdout.splitlines() if "brickyard server" in line]
    assert len(notes) == 1
    assert "schedule" in notes[0] and "brickyard jobs pause 1" in notes[0]
    assert str(cli.home) in notes[0]
    # the job is registered as Databricks registers it: its schedule stays active
    assert [entry["status"] for entry in stored_jobs(cli)] == ["active"]

    # once paused (the pause survives running the file again), nothing is announced
    assert cli("jobs", "pause", "1").returncode == 0
    again = cli("run", str(job), "--output", "json")
    assert again.returncode == 0, again.stderr
    assert "brickyard server" not in again.stdout + again.stderr
    json.loads(again.stdout)


def test_run_announces_nothing_for_a_job_without_triggers(cli: Any) -> None:
    cli.write("job/ok.py", "print('ok')\n")
    job = cli.write("job/job.json", json.dumps({"name": "plain", "tasks": GOOD_TASKS}))

    result = cli("run", str(job))

    assert result.returncode == 0, result.stderr
    assert "brickyard server" not in result.stdout + result.stderr


def test_validate_counts_the_tasks_of_a_seed_job(cli: Any) -> None:
    seed = SEEDS_DIR / "seed-complex-etl-pipeline.json"
    # the seed names workspace notebooks: validate looks for them, so they are imported first
    missing = cli("validate", str(seed))
    assert missing.returncode == 2
    assert "tasks[0].notebook_task.notebook_path: notebook '/ETL/00_Validate' not found" in (
        missing.stderr
    )
    for folder in ("ETL", "Analytics"):
        imported = cli("workspace", "import", str(COMPLEX_ETL / "notebooks" / folder), f"/{folder}")
        assert imported.returncode == 0, imported.stderr

    result = cli("validate", str(seed))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{seed}: valid (8 tasks)"
