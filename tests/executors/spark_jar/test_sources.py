"""What `brickyard validate` says about a JAR task before it runs: no main class, no jar, a
jar file that is not there (with the place looked at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brickyard.executors.job_checks import missing_sources
from brickyard.executors.sources import SourceLookup
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings


def problems(settings: Settings, job_dir: Path, task: dict[str, Any]) -> list[str]:
    job = parse_job_settings({"name": "j", "tasks": [{"task_key": "jar", **task}]})
    return [str(p) for p in missing_sources(job, SourceLookup(settings, base_dir=job_dir))]


def test_a_jar_task_needs_a_main_class_and_a_jar(settings: Settings, job_dir: Path) -> None:
    assert problems(settings, job_dir, {"spark_jar_task": {"parameters": ["x"]}}) == [
        "tasks[0].spark_jar_task.main_class_name: a JAR task needs main_class_name: the class "
        "whose main method runs",
        "tasks[0].libraries: a JAR task needs a jar or maven library holding its main class",
    ]


def test_a_missing_jar_library_names_the_place_looked_at(settings: Settings, job_dir: Path) -> None:
    task = {
        "spark_jar_task": {"main_class_name": "a.Main"},
        "libraries": [{"maven": {"coordinates": "a:b:1"}}, {"jar": "dbfs:/jars/app.jar"}],
    }
    assert problems(settings, job_dir, task) == [
        "tasks[0].libraries[1].jar: file 'dbfs:/jars/app.jar' not found; looked at "
        f"{settings.dbfs_root / 'jars' / 'app.jar'}"
    ]


def test_a_jar_task_with_its_jar_passes(settings: Settings, job_dir: Path) -> None:
    (job_dir / "app.jar").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    task = {"spark_jar_task": {"main_class_name": "a.Main"}, "libraries": [{"jar": "app.jar"}]}
    assert problems(settings, job_dir, task) == []
