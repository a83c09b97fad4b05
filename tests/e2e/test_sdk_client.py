"""The real ``databricks-sdk`` against a real brickyard server: the seed jobs imported into the
workspace and run, run outputs, paging, cancel, repair, one-time runs and job edits.

One server serves the whole module (starting it and the task processes is the cost); every test
creates its own jobs, so the tests do not depend on each other's order.
"""

from __future__ import annotations

import base64
import copy
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidParameterValue, ResourceDoesNotExist
from databricks.sdk.service.jobs import (
    BaseRun,
    JobSettings,
    RepairHistoryItemType,
    Run,
    RunLifeCycleState,
    RunResultState,
    RunTask,
    RunType,
    SparkPythonTask,
    SubmitTask,
    Task,
    TaskDependency,
)
from databricks.sdk.service.workspace import ImportFormat, Language, ObjectType

from support.api_server import RunningServer, start_server
from support.seeds import EXAMPLES_DIR as EXAMPLES
from support.seeds import SEEDS_DIR as SEEDS

pytestmark = pytest.mark.e2e

WAIT = timedelta(minutes=5)

# Real-looking ids for the seeds' placeholders (objects brickyard does not check yet).
PLACEHOLDERS = {
    "<cluster-id>": "1121-093412-a1b2c3d4",
    "<query-id>": "6d7c2e1a-90b4-4f0e-8c3a-2f5b9e4d1c07",
    "<warehouse-id>": "4f8a1c2b9d3e5f60",
}


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One running server for the module."""
    running, thread = start_server(tmp_path_factory.mktemp("sdk") / "home")
    try:
        yield running
    finally:
        thread.stop()
        running.services.close()


@pytest.fixture(scope="module")
def w(server: RunningServer) -> WorkspaceClient:
    """The SDK's workspace client, configured only by host and token."""
    return WorkspaceClient(host=server.url, token=server.token)


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of small task scripts, addressed by absolute path from the tasks."""
    folder = tmp_path_factory.mktemp("scripts")
    (folder / "ok.py").write_text("import sys\nprint('hello from', *sys.argv[1:])\n")
    (folder / "sleep.py").write_text("import time\ntime.sleep(300)\n")
    (folder / "fail.py").write_text(
        "def load(name):\n    raise ValueError(f'no table named {name}')\n\nload('orders')\n"
    )
    (folder / "needs_marker.py").write_text(
        "import pathlib, sys\n"
        "if not pathlib.Path(sys.argv[1]).exists():\n"
        "    raise SystemExit(f'marker {sys.argv[1]} is missing')\n"
        "print('marker found')\n"
    )
    return folder


def seed(name: str) -> dict[str, Any]:
    """A seed job of examples/seeds with its placeholders replaced."""
    text = (SEEDS / name).read_text()
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def python_task(key: str, script: Path, *args: str, depends_on: tuple[str, ...] = ()) -> Task:
    """A spark_python_task running ``script`` with ``args``."""
    return Task(
        task_key=key,
        spark_python_task=SparkPythonTask(python_file=str(script), parameters=list(args)),
        depends_on=[TaskDependency(task_key=upstream) for upstream in depends_on] or None,
    )


def create_arguments(settings: dict[str, Any]) -> dict[str, Any]:
    """``w.jobs.create`` keyword arguments for a JSON settings object.

    ``JobSettings.from_dict`` turns every absent list into ``[]``, which ``create`` would send;
    only the fields the JSON sets are passed, so each job stores what its JSON says (the server
    accepts the empty lists too: see the test below).
    """
    fields = vars(JobSettings.from_dict(settings))
    return {name: value for name, value in fields.items() if value is not None and value != []}


def create(w: WorkspaceClient, settings: dict[str, Any]) -> int:
    """Create a job from a JSON settings object through the SDK's typed ``create``."""
    job_id = w.jobs.create(**create_arguments(settings)).job_id
    assert job_id is not None
    return job_id


def import_notebooks(w: WorkspaceClient, folder: Path, target: str) -> list[str]:
    """Import every ``.py`` notebook of ``folder`` into the workspace folder ``target``."""
    w.workspace.mkdirs(target)
    paths = []
    for notebook in sorted(folder.glob("*.py")):
        path = f"{target}/{notebook.stem}"
        w.workspace.import_(
            path=path,
            content=base64.b64encode(notebook.read_bytes()).decode(),
            format=ImportFormat.SOURCE,
            language=Language.PYTHON,
            overwrite=True,
        )
        paths.append(path)
    return paths


def by_key(run: Run) -> dict[str, RunTask]:
    """The latest attempt of each task of a run."""
    return {task.task_key: task for task in run.tasks or [] if task.task_key}


def run_id_of(item: RunTask | Run | BaseRun) -> int:
    """The run id of a task run or run (always set on what the server answers)."""
    assert item.run_id is not None
    return item.run_id


def result_of(task: RunTask | Run | BaseRun) -> RunResultState | None:
    """A task's or run's result state."""
    return task.state.result_state if task.state else None


def message_of(task: RunTask | Run) -> str:
    """A task's or run's state message."""
    return (task.state.state_message if task.state else None) or ""


def wait_until_running(w: WorkspaceClient, run_id: int) -> None:
    """Poll runs/get until some task of the run is RUNNING."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tasks = w.jobs.get_run(run_id).tasks or []
        if any(t.state and t.state.life_cycle_state == RunLifeCycleState.RUNNING for t in tasks):
            return
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} never started a task")


# --- the seed jobs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reporting_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complex-ETL example's report wheel, built from a copy of its sources."""
    source = tmp_path_factory.mktemp("reporting") / "reporting"
    shutil.copytree(
        EXAMPLES / "complex-etl" / "wheels" / "reporting",
        source,
        ignore=shutil.ignore_patterns("dist", "build", "*.egg-info"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", "dist", "."],
        check=True,
        capture_output=True,
        cwd=source,
    )
    return source / "dist" / "reporting-0.1.0-py3-none-any.whl"


def test_complex_etl_seed_runs_to_success_from_the_workspace(
    w: WorkspaceClient, server: RunningServer, reporting_wheel: Path
) -> None:
    notebooks = EXAMPLES / "complex-etl" / "notebooks"
    imported = import_notebooks(w, notebooks / "ETL", "/ETL")
    imported += import_notebooks(w, notebooks / "Analytics", "/Analytics")
    assert len(imported) == 7
    listed = {item.path: item.object_type for item in w.workspace.list("/ETL")}
    assert listed["/ETL/00_Validate"] == ObjectType.NOTEBOOK
    # The notebooks read the example's data from ../../data, relative to their own folder
    # (<home>/workspace/ETL), as Databricks runs a notebook in its folder.
    shutil.copytree(EXAMPLES / "complex-etl" / "data", server.home / "data")
    # The seed leaves the report wheel to the cluster; here the task installs it from the
    # workspace, where it is uploaded like any workspace file.
    wheel_path = f"/Shared/wheels/{reporting_wheel.name}"
    w.workspace.mkdirs("/Shared/wheels")
    w.workspace.upload(wheel_path, reporting_wheel.read_bytes(), format=ImportFormat.AUTO)
    settings = seed("seed-complex-etl-pipeline.json")
    for task in settings["tasks"]:
        if task["task_key"] == "send_report":
            task["libraries"] = [{"whl": f"/Workspace{wheel_path}"}]
    job_id = create(w, settings)

    run = w.jobs.run_now(job_id).result(timeout=WAIT)

    tasks = by_key(run)
    failed = {
        key: message_of(task)
        for key, task in tasks.items()
        if result_of(task) != RunResultState.SUCCESS
    }
    assert not failed, failed
    assert result_of(run) == RunResultState.SUCCESS
    assert run.state and run.state.life_cycle_state == RunLifeCycleState.TERMINATED
    assert set(tasks) == {t["task_key"] for t in settings["tasks"]}
    report = server.home / "dbfs" / "complex_etl" / "reports" / "daily_report.md"
    assert report.is_file() and report.stat().st_size > 0

    # a notebook task's output is its dbutils.notebook.exit value
    sales = w.jobs.get_run_output(run_id_of(tasks["analytics_sales"]))
    assert sales.notebook_output and sales.notebook_output.result
    summary = json.loads(sales.notebook_output.result)
    assert summary["revenue"] > 0 and summary["days"] == 14
    assert sales.metadata and sales.metadata.run_id == tasks["analytics_sales"].run_id
    # the report's own figures come from the same gold tables
    assert summary["top_region"] in report.read_text()
    # a wheel task's output is its entry point's printout
    sent = w.jobs.get_run_output(run_id_of(tasks["send_report"]))
    assert sent.logs and "daily_report.md" in sent.logs
    # a multi-task job run has no single output
    with pytest.raises(InvalidParameterValue):
        w.jobs.get_run_output(run_id_of(run))


def test_etl_pipeline_daily_seed_runs_its_notebooks_and_names_the_sql_task(
    w: WorkspaceClient, server: RunningServer
) -> None:
    import_notebooks(w, SEEDS / "etl-pipeline-daily" / "notebooks", "/ETL")
    settings = seed("seed-etl-pipeline-daily.json")
    job_id = create(w, settings)
    job = w.jobs.get(job_id)
    assert job.settings and job.settings.tasks
    assert job.settings.tasks[2].existing_cluster_id == PLACEHOLDERS["<cluster-id>"]

    # data_quality_checks would pip-install great-expectations from PyPI (minutes, and the
    # network): the run leaves it out, so its dependent SQL task still comes up for running.
    run = w.jobs.run_now(
        job_id, only=["ingest_raw_data", "transform_data", "publish_analytics"]
    ).result(timeout=WAIT)

    assert run.state and run.state.life_cycle_state == RunLifeCycleState.TERMINATED
    assert result_of(run) == RunResultState.FAILED
    tasks = by_key(run)
    assert set(tasks) == {"ingest_raw_data", "transform_data", "publish_analytics"}
    assert result_of(tasks["ingest_raw_data"]) == RunResultState.SUCCESS
    assert result_of(tasks["transform_data"]) == RunResultState.SUCCESS
    assert result_of(tasks["publish_analytics"]) == RunResultState.FAILED
    assert "sql_task" in message_of(tasks["publish_analytics"])
    ingest = w.jobs.get_run_output(run_id_of(tasks["ingest_raw_data"]))
    assert ingest.notebook_output and ingest.notebook_output.result
    exit_value = json.loads(ingest.notebook_output.result)
    # {{job.start_date}} resolved to the run's (UTC) start day
    assert run.start_time
    start_day = datetime.fromtimestamp(run.start_time / 1000, UTC).date().isoformat()
    assert exit_value == {"date": start_day, "environment": "production", "rows": 24}
    transform = w.jobs.get_run_output(run_id_of(tasks["transform_data"]))
    assert transform.notebook_output and transform.notebook_output.result
    assert json.loads(transform.notebook_output.result) == {"rows_in": 24, "rows_out": 20}
    failure = w.jobs.get_run_output(run_id_of(tasks["publish_analytics"]))
    assert failure.error and "sql_task" in failure.error


# seed-data-pipeline-job.json runs to SUCCESS through the SDK in test_seed_spark_jobs.py (it
# needs examples/seeds/setup.py: the jar, the Maven repository).


def test_create_takes_the_empty_lists_of_job_settings_from_dict(w: WorkspaceClient) -> None:
    settings = JobSettings.from_dict(seed("seed-data-pipeline-job.json"))
    assert settings.triggers == []  # what the SDK sends as "triggers": []

    job_id = w.jobs.create(**vars(settings)).job_id

    assert job_id is not None
    created = w.jobs.get(job_id).settings
    assert created and created.schedule and not created.triggers


def test_notification_settings_seed_is_kept_unchanged(w: WorkspaceClient, scripts: Path) -> None:
    fragment = seed("seed-notification-settings.json")
    settings = {
        "name": "notified",
        **fragment,
        "tasks": [python_task("only", scripts / "ok.py").as_dict()],
    }
    job_id = create(w, settings)

    job = w.jobs.get(job_id)

    assert job.settings
    assert job.settings.as_dict()["email_notifications"] == fragment["email_notifications"]
    assert job.settings.as_dict()["webhook_notifications"] == fragment["webhook_notifications"]


# --- run outputs ------------------------------------------------------------------------------


def test_run_output_has_the_logs_or_the_error_of_a_python_task(
    w: WorkspaceClient, scripts: Path
) -> None:
    run = w.jobs.submit(
        run_name="outputs",
        tasks=[
            SubmitTask(
                task_key="greet",
                spark_python_task=SparkPythonTask(
                    python_file=str(scripts / "ok.py"), parameters=["the", "sdk"]
                ),
            ),
            SubmitTask(
                task_key="broken",
                spark_python_task=SparkPythonTask(python_file=str(scripts / "fail.py")),
            ),
        ],
    ).result(timeout=WAIT)

    tasks = by_key(run)
    greet = w.jobs.get_run_output(run_id_of(tasks["greet"]))
    assert greet.logs and "hello from the sdk" in greet.logs
    assert not greet.error
    broken = w.jobs.get_run_output(run_id_of(tasks["broken"]))
    assert broken.error and "no table named orders" in broken.error
    assert broken.error_trace and "Traceback" in broken.error_trace
    assert "load('orders')" in broken.error_trace or "in load" in broken.error_trace
    assert result_of(run) == RunResultState.FAILED
    with pytest.raises(ResourceDoesNotExist, match=r"^Run 987654321 does not exist\.$"):
        w.jobs.get_run_output(987654321)


# --- listing ----------------------------------------------------------------------------------


def test_list_runs_pages_through_every_run_newest_first(w: WorkspaceClient, scripts: Path) -> None:
    job_id = create(
        w, {"name": "many runs", "tasks": [python_task("t", scripts / "ok.py").as_dict()]}
    )
    waits = [w.jobs.run_now(job_id) for _ in range(12)]
    started = [wait.run_id for wait in waits]
    for wait in waits:
        assert result_of(wait.result(timeout=WAIT)) == RunResultState.SUCCESS

    listed = list(w.jobs.list_runs(job_id=job_id, limit=5))

    # the iterator did page: the server answers five runs at a time
    page = w.api_client.do("GET", "/api/2.2/jobs/runs/list", query={"job_id": job_id, "limit": 5})
    assert isinstance(page, dict) and len(page["runs"]) == 5 and page["next_page_token"]

    run_ids = [run_id_of(run) for run in listed]
    assert len(run_ids) == len(set(run_ids)) == 12
    assert set(run_ids) == set(started)
    start_times = [run.start_time or 0 for run in listed]
    assert start_times == sorted(start_times, reverse=True)
    assert run_ids == sorted(run_ids, reverse=True)
    assert all(run.job_id == job_id for run in listed)
    assert list(w.jobs.list_runs(job_id=job_id, active_only=True)) == []


def test_jobs_list_filters_by_name_and_expands_tasks(w: WorkspaceClient, scripts: Path) -> None:
    first = create(
        w,
        {
            "name": "Listed Job Alpha",
            "tasks": [
                python_task("a", scripts / "ok.py").as_dict(),
                python_task("b", scripts / "ok.py", depends_on=("a",)).as_dict(),
            ],
        },
    )
    create(w, {"name": "Listed Job Beta", "tasks": [python_task("a", scripts / "ok.py").as_dict()]})

    named = list(w.jobs.list(name="listed job alpha"))
    assert [job.job_id for job in named] == [first]
    assert named[0].settings and named[0].settings.name == "Listed Job Alpha"
    assert not named[0].settings.tasks  # tasks only with expand_tasks

    expanded = {job.job_id: job for job in w.jobs.list(expand_tasks=True, limit=3)}
    assert first in expanded
    settings = expanded[first].settings
    assert settings and [task.task_key for task in settings.tasks or []] == ["a", "b"]
    all_ids = [job.job_id for job in w.jobs.list(limit=2)]
    assert len(all_ids) == len(set(all_ids)) >= 2 and first in all_ids


def test_get_returns_every_task_of_a_150_task_job(w: WorkspaceClient, scripts: Path) -> None:
    keys = [f"task_{index:03d}" for index in range(150)]
    tasks = [python_task(key, scripts / "ok.py").as_dict() for key in keys]
    job_id = create(w, {"name": "Wide Job 150", "tasks": tasks})

    job = w.jobs.get(job_id)

    assert job.settings and [task.task_key for task in job.settings.tasks or []] == keys
    # ... merged by the SDK from the pages of 100 that API 2.2 answers
    page = w.api_client.do("GET", "/api/2.2/jobs/get", query={"job_id": job_id})
    assert isinstance(page, dict) and len(page["settings"]["tasks"]) == 100
    assert page["next_page_token"]
    [listed] = list(w.jobs.list(name="Wide Job 150", expand_tasks=True))
    assert listed.settings and len(listed.settings.tasks or []) == 150


# --- cancel, repair, one-time runs ------------------------------------------------------------


def test_cancel_run_ends_a_sleeping_run_canceled(w: WorkspaceClient, scripts: Path) -> None:
    job_id = create(
        w, {"name": "sleeper", "tasks": [python_task("nap", scripts / "sleep.py").as_dict()]}
    )
    run_id = w.jobs.run_now(job_id).run_id
    wait_until_running(w, run_id)
    active = [run.run_id for run in w.jobs.list_runs(active_only=True)]
    assert run_id in active

    run = w.jobs.cancel_run(run_id).result(timeout=WAIT)

    assert run.run_id == run_id
    assert run.state and run.state.life_cycle_state == RunLifeCycleState.TERMINATED
    assert result_of(run) == RunResultState.CANCELED
    assert result_of(by_key(run)["nap"]) == RunResultState.CANCELED
    assert run_id not in [r.run_id for r in w.jobs.list_runs(job_id=job_id, active_only=True)]


def test_repair_reruns_the_failed_task_to_success(
    w: WorkspaceClient, scripts: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "marker"
    job_id = create(
        w,
        {
            "name": "repairable",
            "tasks": [
                python_task("extract", scripts / "ok.py").as_dict(),
                python_task(
                    "load", scripts / "needs_marker.py", str(marker), depends_on=("extract",)
                ).as_dict(),
            ],
        },
    )
    first = w.jobs.run_now(job_id).result(timeout=WAIT)
    assert result_of(first) == RunResultState.FAILED
    assert result_of(by_key(first)["load"]) == RunResultState.FAILED
    marker.write_text("ready")

    repaired = w.jobs.repair_run(run_id_of(first), rerun_all_failed_tasks=True).result(timeout=WAIT)

    assert repaired.run_id == first.run_id
    assert result_of(repaired) == RunResultState.SUCCESS
    history = w.jobs.get_run(run_id_of(first), include_history=True).repair_history or []
    assert [item.type for item in history] == [
        RepairHistoryItemType.ORIGINAL,
        RepairHistoryItemType.REPAIR,
    ]
    assert history[1].task_run_ids == [by_key(repaired)["load"].run_id]
    attempts = [task.task_key for task in repaired.tasks or []]
    assert attempts.count("extract") == 1 and attempts.count("load") == 2
    load_output = w.jobs.get_run_output(run_id_of(by_key(repaired)["load"]))
    assert load_output.logs and "marker found" in load_output.logs


def test_submit_runs_once_and_honours_the_idempotency_token(
    w: WorkspaceClient, scripts: Path
) -> None:
    task = SubmitTask(
        task_key="once", spark_python_task=SparkPythonTask(python_file=str(scripts / "ok.py"))
    )
    run = w.jobs.submit(run_name="one-time", tasks=[task]).result(timeout=WAIT)
    assert result_of(run) == RunResultState.SUCCESS
    assert run.run_type == RunType.SUBMIT_RUN
    assert run.run_name == "one-time"

    token = f"sdk-e2e-{time.time_ns()}"
    first = w.jobs.submit(run_name="idempotent", tasks=[task], idempotency_token=token)
    second = w.jobs.submit(run_name="idempotent", tasks=[task], idempotency_token=token)
    assert first.bind()["run_id"] == second.bind()["run_id"]
    assert result_of(second.result(timeout=WAIT)) == RunResultState.SUCCESS


# --- job edits --------------------------------------------------------------------------------


def test_update_reset_and_delete_a_job(w: WorkspaceClient, scripts: Path) -> None:
    original = {
        "name": "editable",
        "tags": {"team": "data"},
        "max_concurrent_runs": 1,
        "tasks": [
            python_task("first", scripts / "ok.py").as_dict(),
            python_task("second", scripts / "ok.py", depends_on=("first",)).as_dict(),
        ],
    }
    job_id = create(w, original)

    w.jobs.update(
        job_id,
        new_settings=JobSettings(name="edited", max_concurrent_runs=3),
        fields_to_remove=["tags", "tasks/second"],
    )
    updated = w.jobs.get(job_id).settings
    assert updated and updated.name == "edited" and updated.max_concurrent_runs == 3
    assert not updated.tags
    assert [task.task_key for task in updated.tasks or []] == ["first"]

    replacement = copy.deepcopy(original)
    replacement["name"] = "reset"
    replacement["tasks"] = [python_task("only", scripts / "ok.py", "reset").as_dict()]
    w.jobs.reset(job_id, JobSettings.from_dict(replacement))
    reset = w.jobs.get(job_id).settings
    assert reset and reset.name == "reset" and reset.tags == {"team": "data"}
    assert reset.max_concurrent_runs == 1
    assert [task.task_key for task in reset.tasks or []] == ["only"]

    w.jobs.delete(job_id)
    with pytest.raises(ResourceDoesNotExist, match=rf"^Job {job_id} does not exist\.$"):
        w.jobs.get(job_id)
