"""notebook_task end to end: prepare, launch (fork and exec), read the outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brickyard.errors import TaskLaunchError
from brickyard.executors.outcome import WORKLOAD_FAILED_MESSAGE
from brickyard.params import ResolvedTaskParameters
from brickyard.states import ResultState, TerminationCode
from brickyard.workspace import Workspace

NOTEBOOK = """# Databricks notebook source
import os
print("date is", dbutils.widgets.get("date"))
print("cwd is", os.getcwd())

# COMMAND ----------

dbutils.jobs.taskValues.set("rows", 42)
dbutils.notebook.exit("done")
"""

FAILING_NOTEBOOK = """# Databricks notebook source
print("before")

# COMMAND ----------

raise ValueError("boom")
"""


def notebook_task(path: str) -> dict[str, Any]:
    return {"task_key": "nb", "notebook_task": {"notebook_path": path}}


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "exec"])
def test_relative_notebook_runs_with_widgets_in_its_folder(
    runner: Any, job_dir: Path, fork: bool
) -> None:
    (job_dir / "notebooks").mkdir()
    (job_dir / "notebooks" / "hello.py").write_text(NOTEBOOK)
    request = runner.request(
        notebook_task("notebooks/hello"),
        ResolvedTaskParameters(widgets={"date": "2026-11-21"}),
    )

    finished = runner.run(request, fork=fork)

    outcome = finished.outcome
    assert outcome.result is ResultState.SUCCESS, outcome
    assert outcome.termination_code is TerminationCode.SUCCESS
    assert outcome.exit_value == "done"
    assert outcome.task_values == {"rows": 42}
    assert outcome.logs is None  # notebooks keep their output in the executed notebook
    assert finished.plan.output_notebook == request.task_dir.absolute() / "notebook.ipynb"
    executed = json.loads(finished.plan.output_notebook.read_text())
    text = json.dumps(executed)
    assert "date is 2026-11-21" in text
    assert f"cwd is {job_dir / 'notebooks'}" in text
    spec = json.loads((request.task_dir / "spec.json").read_text())
    assert spec["notebook_workspace_path"] is None
    assert spec["notebook_format"] == "SOURCE"


def test_workspace_notebook_and_failure(runner: Any, workspace: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "Fail.py"
    source.write_text(FAILING_NOTEBOOK)
    workspace.import_path(source, "/ETL/Fail")
    request = runner.request(notebook_task("/Workspace/ETL/Fail"))

    finished = runner.run(request)

    outcome = finished.outcome
    assert outcome.result is ResultState.FAILED
    assert outcome.message == WORKLOAD_FAILED_MESSAGE
    assert outcome.termination_code is TerminationCode.RUN_EXECUTION_ERROR
    assert outcome.error == "ValueError: boom"
    assert outcome.error_trace is not None and "boom" in outcome.error_trace
    assert outcome.error_code == "RunExecutionError"
    spec = json.loads((request.task_dir / "spec.json").read_text())
    assert spec["notebook_workspace_path"] == "/ETL/Fail"


def test_missing_notebook_is_resource_not_found(runner: Any) -> None:
    request = runner.request(notebook_task("/ETL/Nowhere"))
    executor = runner.registry.executor_for(request.task)
    with pytest.raises(TaskLaunchError, match="Nowhere") as raised:
        executor.prepare(request)
    assert raised.value.termination_code == "RESOURCE_NOT_FOUND"
