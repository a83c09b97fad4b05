"""What `brickyard validate` says about a spark-submit task: parameters with no application,
a jar library that is not there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brickyard.executors.job_checks import missing_sources
from brickyard.executors.sources import SourceLookup
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings


def problems(settings: Settings, job_dir: Path, task: dict[str, Any]) -> list[str]:
    job = parse_job_settings({"name": "j", "tasks": [{"task_key": "submit", **task}]})
    return [str(p) for p in missing_sources(job, SourceLookup(settings, base_dir=job_dir))]


def test_parameters_need_an_application(settings: Settings, job_dir: Path) -> None:
    task = {"spark_submit_task": {"parameters": ["--class", "a.Main", "--verbose"]}}
    assert problems(settings, job_dir, task) == [
        "tasks[0].spark_submit_task.parameters: no application (a .jar or .py file) after the "
        "spark-submit options"
    ]


def test_an_application_and_existing_jars_pass(settings: Settings, job_dir: Path) -> None:
    (job_dir / "dep.jar").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (settings.dbfs_root).mkdir(parents=True)
    (settings.dbfs_root / "app.jar").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    task = {
        "spark_submit_task": {"parameters": ["--class", "a.Main", "dbfs:/app.jar", "x"]},
        "libraries": [{"jar": "dep.jar"}],
    }
    assert problems(settings, job_dir, task) == []


def test_a_missing_jar_library_is_reported(settings: Settings, job_dir: Path) -> None:
    (job_dir / "app.py").write_text("print(1)\n")
    task = {"spark_submit_task": {"parameters": ["app.py"]}, "libraries": [{"jar": "gone.jar"}]}
    (problem,) = problems(settings, job_dir, task)
    assert problem.startswith("tasks[0].libraries[0].jar: file 'gone.jar' not found; looked at")


def test_a_missing_application_is_reported(settings: Settings, job_dir: Path) -> None:
    task = {"spark_submit_task": {"parameters": ["--class", "a.Main", "dbfs:/apps/a.jar", "x"]}}
    assert problems(settings, job_dir, task) == [
        "tasks[0].spark_submit_task.parameters[2]: file 'dbfs:/apps/a.jar' not found; looked at "
        f"{settings.dbfs_root / 'apps' / 'a.jar'}"
    ]
