"""executors.sources and the per-type source checks: a missing notebook, Python file, SQL file
or local library is reported with the places looked at, as the executor would look."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brickyard.errors import Problem
from brickyard.executors.job_checks import missing_sources
from brickyard.executors.sources import SourceLookup
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings


def _problems(lookup: SourceLookup, *tasks: dict[str, Any], **job: Any) -> list[Problem]:
    return missing_sources(parse_job_settings({"name": "j", "tasks": list(tasks), **job}), lookup)


@pytest.fixture
def lookup(settings: Settings, job_dir: Path) -> SourceLookup:
    return SourceLookup(settings=settings, base_dir=job_dir)


def test_a_missing_notebook_names_the_places_looked_at(lookup: SourceLookup, job_dir: Path) -> None:
    (problem,) = _problems(lookup, {"task_key": "n", "notebook_task": {"notebook_path": "etl/x"}})
    assert problem.path == "tasks[0].notebook_task.notebook_path"
    assert problem.message.startswith("notebook 'etl/x' not found; looked at ")
    assert str(job_dir / "etl" / "x") + "[.py|.ipynb" in problem.message


def test_a_workspace_notebook_is_looked_for_in_the_workspace_then_on_disk(
    lookup: SourceLookup, settings: Settings
) -> None:
    (problem,) = _problems(
        lookup, {"task_key": "n", "notebook_task": {"notebook_path": "/Shared/nb"}}
    )
    assert str(settings.workspace_root / "Shared" / "nb") in problem.message
    assert "/Shared/nb[" in problem.message


def test_files_that_exist_pass(lookup: SourceLookup, job_dir: Path, settings: Settings) -> None:
    (job_dir / "nb.py").write_text("# Databricks notebook source\nprint(1)\n")
    (job_dir / "s.py").write_text("print(1)\n")
    wheel = settings.dbfs_root / "wheels" / "x-1-py3-none-any.whl"
    wheel.parent.mkdir(parents=True)
    wheel.write_bytes(b"PK")
    (job_dir / "q.sql").write_text("select 1")
    assert (
        _problems(
            lookup,
            {"task_key": "n", "notebook_task": {"notebook_path": "nb"}},
            {"task_key": "s", "spark_python_task": {"python_file": "s.py"}},
            {
                "task_key": "w",
                "python_wheel_task": {"package_name": "x", "entry_point": "main"},
                "libraries": [
                    {"whl": "dbfs:/wheels/x-1-py3-none-any.whl"},
                    {"whl": "https://example.com/y-1-py3-none-any.whl"},
                    {"pypi": {"package": "requests"}},
                ],
            },
            {"task_key": "q", "sql_task": {"warehouse_id": "w", "file": {"path": "q.sql"}}},
        )
        == []
    )


def test_missing_python_file_sql_file_and_libraries(
    lookup: SourceLookup, job_dir: Path, settings: Settings
) -> None:
    problems = _problems(
        lookup,
        {"task_key": "s", "spark_python_task": {"python_file": "/Volumes/main/raw/code/s.py"}},
        {
            "task_key": "w",
            "python_wheel_task": {"package_name": "x", "entry_point": "main"},
            "libraries": [{"whl": "dist/x.whl"}, {"requirements": "dbfs:/req.txt"}],
        },
        {"task_key": "q", "sql_task": {"warehouse_id": "w", "file": {"path": "q.sql"}}},
    )
    assert problems == [
        Problem(
            "tasks[0].spark_python_task.python_file",
            "file '/Volumes/main/raw/code/s.py' not found; looked at "
            f"{settings.volumes_root / 'main' / 'raw' / 'code' / 's.py'}",
        ),
        Problem(
            "tasks[1].libraries[0].whl",
            f"file 'dist/x.whl' not found; looked at {job_dir / 'dist' / 'x.whl'}",
        ),
        Problem(
            "tasks[1].libraries[1].requirements",
            f"file 'dbfs:/req.txt' not found; looked at {settings.dbfs_root / 'req.txt'}",
        ),
        Problem(
            "tasks[2].sql_task.file.path",
            f"file 'q.sql' not found; looked at {job_dir / 'q.sql'}",
        ),
    ]


def test_a_path_that_cannot_be_local_is_reported(lookup: SourceLookup) -> None:
    (problem,) = _problems(
        lookup, {"task_key": "s", "spark_python_task": {"python_file": "s3://bucket/s.py"}}
    )
    assert problem.path == "tasks[0].spark_python_task.python_file"
    assert "remote locations cannot be read" in problem.message


def test_git_sourced_files_are_not_checked(settings: Settings, job_dir: Path) -> None:
    git = {"git_url": "https://github.com/o/r", "git_provider": "gitHub", "git_branch": "main"}
    tasks = (
        {"task_key": "a", "notebook_task": {"notebook_path": "nb/a"}},  # from git_source
        {"task_key": "b", "spark_python_task": {"python_file": "b.py", "source": "GIT"}},
        {"task_key": "c", "notebook_task": {"notebook_path": "nb/c", "source": "WORKSPACE"}},
    )
    lookup = SourceLookup(settings=settings, base_dir=job_dir, has_git_source=True)
    problems = _problems(lookup, *tasks, git_source=git)
    assert [p.path for p in problems] == ["tasks[2].notebook_task.notebook_path"]


def test_libraries_of_types_that_do_not_run_are_not_looked_for(lookup: SourceLookup) -> None:
    # an executor installs libraries; a type without one never does
    task = {
        "task_key": "j",
        "dbt_task": {"commands": ["dbt run"]},
        "libraries": [{"whl": "x.whl"}],
    }
    assert _problems(lookup, task) == []
