"""``brickyard validate`` catches what cannot run (exit 2) and warns about what brickyard does
not act on (exit 0); ``brickyard run`` prints the warnings before the run, refuses unknown task
types, and a task with a Maven library succeeds with the warning in its log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from brickyard.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOK = "# Databricks notebook source\nprint('notebook ran')\n"
MAVEN = {"maven": {"coordinates": "com.example:lib:1.0"}}
MAVEN_WARNING = (
    "warning: tasks[0].libraries[0].maven: maven libraries are not installed by brickyard yet; "
    "the task runs without them"
)


def _job_file(folder: Path, *tasks: dict[str, Any], **settings: Any) -> Path:
    path = folder / "job.json"
    path.write_text(json.dumps({"name": "j", "tasks": list(tasks), **settings}))
    return path


def _notebook(folder: Path, name: str = "nb") -> dict[str, Any]:
    (folder / f"{name}.py").write_text(NOTEBOOK)
    return {"notebook_path": name}


def test_an_unknown_task_type_is_an_error_with_a_did_you_mean(tmp_path: Path, home: Path) -> None:
    job_file = _job_file(tmp_path, {"task_key": "t", "notebok_task": _notebook(tmp_path)})
    result = CliRunner().invoke(app, ["validate", str(job_file)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{job_file}: tasks[0].notebok_task: unknown task type 'notebok_task'; "
        "did you mean 'notebook_task'?"
    ]
    assert result.stdout == ""


def test_warnings_are_printed_and_the_file_is_valid(tmp_path: Path, home: Path) -> None:
    job_file = _job_file(
        tmp_path,
        {"task_key": "t", "notebook_task": _notebook(tmp_path), "libraries": [MAVEN]},
        {"task_key": "d", "dbt_task": {"commands": ["dbt run"]}},
    )
    result = CliRunner().invoke(app, ["validate", str(job_file)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        MAVEN_WARNING,
        "warning: tasks[1].dbt_task: brickyard does not run dbt_task tasks yet",
    ]
    assert result.stdout == f"{job_file}: valid (2 tasks, 2 warnings)\n"
    assert not home.exists(), "validate stores nothing"


def test_a_missing_notebook_is_an_error_naming_the_places_looked_at(
    tmp_path: Path, home: Path
) -> None:
    job_file = _job_file(
        tmp_path,
        {"task_key": "t", "notebook_task": {"notebook_path": "notebooks/missing"}},
        email_notifications={"on_failure": ["ops@example.com"]},
    )
    result = CliRunner().invoke(app, ["validate", str(job_file)])
    assert result.exit_code == 2
    error, warning = result.stderr.splitlines()
    assert error.startswith(
        f"{job_file}: tasks[0].notebook_task.notebook_path: notebook 'notebooks/missing' not "
        f"found; looked at {tmp_path / 'notebooks' / 'missing'}[.py|.ipynb"
    )
    assert warning.startswith("warning: email_notifications: ")


def test_the_examples_validate_clean(tmp_path: Path, home: Path) -> None:
    branching = CliRunner().invoke(app, ["validate", str(EXAMPLES / "branching" / "job.json")])
    assert branching.exit_code == 0, branching.stderr
    assert branching.stderr == ""
    # complex-etl installs a wheel its quickstart builds; until then, that is all that is missing
    example = tmp_path / "complex-etl"
    shutil.copytree(EXAMPLES / "complex-etl", example, ignore=shutil.ignore_patterns("dist"))
    unbuilt = CliRunner().invoke(app, ["validate", str(example / "job.json")])
    assert unbuilt.exit_code == 2
    wheel = "wheels/reporting/dist/reporting-0.1.0-py3-none-any.whl"
    assert unbuilt.stderr.splitlines() == [
        f"{example / 'job.json'}: tasks[7].libraries[0].whl: file {wheel!r} not found; "
        f"looked at {example / wheel}"
    ]


def test_run_refuses_an_unknown_task_type_before_storing_anything(
    tmp_path: Path, home: Path
) -> None:
    job_file = _job_file(tmp_path, {"task_key": "t", "notebok_task": _notebook(tmp_path)})
    result = CliRunner().invoke(app, ["run", str(job_file)])
    assert result.exit_code == 2
    assert "did you mean 'notebook_task'?" in result.stderr
    assert not home.exists()


def test_a_notebook_with_a_maven_library_succeeds_and_its_log_says_what_is_missing(
    tmp_path: Path, home: Path
) -> None:
    job_file = _job_file(
        tmp_path, {"task_key": "t", "notebook_task": _notebook(tmp_path), "libraries": [MAVEN]}
    )
    result = CliRunner().invoke(app, ["run", str(job_file), "--output", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == MAVEN_WARNING, "printed before the run starts"
    body = json.loads(result.stdout)
    assert body["state"]["result_state"] == "SUCCESS"
    (task,) = body["tasks"]
    stderr_log = next((home / "runs" / str(body["run_id"])).glob(f"{task['run_id']}-t/stderr.log"))
    assert stderr_log.read_text().splitlines()[0] == (
        "warning: libraries[0].maven: maven libraries are not installed by brickyard yet; "
        "the task runs without them"
    )
