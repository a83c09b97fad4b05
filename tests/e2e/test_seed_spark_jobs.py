"""The Spark seed jobs end to end, as a user runs them: ``examples/seeds/setup.py``, then
``brickyard run`` (and the data pipeline through a server with databricks-sdk), with their
outputs checked: the lakehouse tables and their row counts, the model, the report, the e-mail
and the data quality checks.

Each run shares one job cluster between its notebook tasks (one Spark Connect server); the JAR
task is its own spark-submit driver. The Maven library the pipeline names comes from a file
repository the test builds (``support.seed_jobs``): there is no route to Maven Central here.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service import jobs

from brickyard.compute.spark import connect_server
from support.api_server import start_server
from support.seed_jobs import run_setup, spark_xml_repo
from support.spark import spark_or_skip
from support.spark_jobs import javac_of

pytestmark = pytest.mark.slow

PIPELINE_SEED = "seed-data-pipeline-job.json"
ETL_SEED = "seed-etl-pipeline-daily.json"
PIPELINE_TASKS = {
    "ingest",
    "clean_transform",
    "spark_processing",
    "aggregate_to_warehouse",
    "train_model",
    "evaluate_model",
    "build_report",
    "email_report",
}
ETL_TASKS = ["ingest_raw_data", "transform_data", "data_quality_checks"]
"""Every task but ``publish_analytics``, a sql_task (SQL warehouses are the next issue's)."""
RUN_TIMEOUT = 480


@dataclass(frozen=True)
class SeedHome:
    """A brickyard home the seeds' setup prepared, and the environment to run commands in."""

    root: Path
    home: Path
    env: dict[str, str]
    cluster_id: str

    def seed(self, name: str) -> Path:
        """The copy of a seed job setup wrote (placeholders replaced)."""
        return self.home / "seeds" / name

    def brickyard(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The ``brickyard`` command on this home."""
        return subprocess.run(
            [sys.executable, "-m", "brickyard", *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )

    def table(self, name: str) -> Any:
        """A lakehouse table (``catalog.schema.table``) read from its Parquet files."""
        return pq.read_table(self.home / "lakehouse" / Path(*name.split(".")))

    def dbfs(self, path: str) -> Path:
        """The local file of a ``dbfs:/`` path."""
        return self.home / "dbfs" / path.removeprefix("dbfs:/")

    def stop_clusters(self) -> None:
        """End every Spark Connect server left running (the all-purpose cluster outlives a
        ``brickyard run``, as on Databricks)."""
        for folder in (self.home / "clusters").glob("*"):
            server = connect_server.read_server(folder)
            if server is not None:
                connect_server.stop_server(server)


@pytest.fixture(scope="module")
def maven_repo(tmp_path_factory: pytest.TempPathFactory) -> str:
    installation = spark_or_skip()
    root = tmp_path_factory.mktemp("maven")
    return spark_xml_repo(root, javac=javac_of(installation)).url


def _prepared_home(root: Path, maven_repo: str) -> SeedHome:
    home = root / "home"
    env = {**os.environ, "BRICKYARD_HOME": str(home), "BRICKYARD_MAVEN_REPOSITORIES": maven_repo}
    env.pop("BRICKYARD_DATABASE_URL", None)
    env["PYTHONUNBUFFERED"] = "1"
    substituted = run_setup(env, cwd=root)
    assert set(substituted) == {"<cluster-id>"}, substituted
    return SeedHome(root, home, env, substituted["<cluster-id>"])


@pytest.fixture
def seed_home(tmp_path: Path, maven_repo: str) -> Iterator[SeedHome]:
    prepared = _prepared_home(tmp_path, maven_repo)
    try:
        yield prepared
    finally:
        prepared.stop_clusters()


def _run_date(body: dict[str, Any]) -> str:
    """``{{job.start_time.iso_date}}`` of a run: its start, as a UTC date."""
    return datetime.fromtimestamp(body["start_time"] / 1000, tz=UTC).date().isoformat()


def _assert_pipeline_outputs(prepared: SeedHome, run_date: str) -> None:
    assert prepared.table("main.data_pipeline.bronze_readings").num_rows == 40
    assert prepared.table("main.data_pipeline.silver_readings").num_rows == 36
    processed = prepared.table("main.data_pipeline.processed_readings")
    assert processed.num_rows == 36
    assert {str(day) for day in processed.column("processing_date").to_pylist()} == {run_date}
    daily = prepared.table("main.data_pipeline.sensor_daily")
    assert daily.num_rows == 6  # three sensors, two days
    assert set(daily.column("readings").to_pylist()) == {6}

    model = json.loads(
        prepared.dbfs("dbfs:/data_pipeline/models/temperature_by_hour.json").read_text()
    )
    assert set(model["sensors"]) == {"s1", "s2", "s3"}
    assert model["training_rows"] == 18
    report = prepared.dbfs(f"dbfs:/data_pipeline/reports/sensor_report_{run_date}.md").read_text()
    assert "36 readings from 3 sensors" in report
    assert "(RMSE): 0.500" in report  # the held-out day is half a degree warmer
    eml = prepared.dbfs(f"dbfs:/data_pipeline/outbox/sensor_report_{run_date}.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "data-team@example.com"
    assert message["Subject"] == f"Sensor report, processed {run_date}"
    (attachment,) = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_filename() == f"sensor_report_{run_date}.md"


def test_data_pipeline_seed_runs_end_to_end_with_brickyard_run(seed_home: SeedHome) -> None:
    result = seed_home.brickyard("run", str(seed_home.seed(PIPELINE_SEED)), "--output", "json")
    assert result.returncode == 0, result.stderr[-3000:]
    body = json.loads(result.stdout)
    assert body["state"]["result_state"] == "SUCCESS", body["state"]
    states = {t["task_key"]: t["state"]["result_state"] for t in body["tasks"]}
    assert states == dict.fromkeys(PIPELINE_TASKS, "SUCCESS")
    run_date = _run_date(body)
    _assert_pipeline_outputs(seed_home, run_date)
    # the seven notebook tasks shared one job cluster (the JAR step is a driver of its own)
    instances = {t["cluster_instance"]["cluster_id"] for t in body["tasks"] if "notebook_task" in t}
    assert len(instances) == 1, instances

    # The JAR step's driver output is the task's log: its counts and the Maven library
    (jar_log,) = (seed_home.home / "runs" / str(body["run_id"])).glob(
        "*-spark_processing/stdout.log"
    )
    log = jar_log.read_text()
    assert "read 36 rows from main.data_pipeline.silver_readings" in log
    assert f"wrote 36 rows to main.data_pipeline.processed_readings for {run_date}" in log
    assert "spark-xml on the classpath: true" in log


def test_data_pipeline_seed_runs_through_the_server_with_databricks_sdk(
    seed_home: SeedHome,
) -> None:
    settings = jobs.JobSettings.from_dict(json.loads(seed_home.seed(PIPELINE_SEED).read_text()))
    maven = {"BRICKYARD_MAVEN_REPOSITORIES": seed_home.env["BRICKYARD_MAVEN_REPOSITORIES"]}
    running, thread = start_server(seed_home.home, environ=maven)
    try:
        w = WorkspaceClient(host=running.url, token=running.token)
        job = w.jobs.create(
            name=settings.name,
            job_clusters=settings.job_clusters,
            tasks=settings.tasks,
            email_notifications=settings.email_notifications,
        )
        assert job.job_id
        run = w.jobs.run_now(job.job_id).result(timeout=timedelta(seconds=RUN_TIMEOUT))
        assert run.state and run.state.result_state == jobs.RunResultState.SUCCESS, run.state
        tasks = {task.task_key: task for task in run.tasks or []}
        assert set(tasks) == PIPELINE_TASKS
        # the seven notebook tasks ran on one job cluster (one Connect server)
        on_cluster = [t for t in tasks.values() if t.notebook_task and t.cluster_instance]
        assert len(on_cluster) == 7, [t.task_key for t in on_cluster]
        assert len({t.cluster_instance.cluster_id for t in on_cluster if t.cluster_instance}) == 1
        evaluated = w.jobs.get_run_output(tasks["evaluate_model"].run_id)
        assert evaluated.notebook_output and evaluated.notebook_output.result == "0.5000"
        emailed = w.jobs.get_run_output(tasks["email_report"].run_id)
        assert emailed.notebook_output and emailed.notebook_output.result
        assert emailed.notebook_output.result.startswith("dbfs:/data_pipeline/outbox/")
        assert run.start_time
        _assert_pipeline_outputs(seed_home, _run_date({"start_time": run.start_time}))
    finally:
        thread.stop()
        running.services.close()


def test_etl_daily_seed_runs_its_notebooks_and_quality_checks(seed_home: SeedHome) -> None:
    result = seed_home.brickyard(
        "run", str(seed_home.seed(ETL_SEED)), "--only", ",".join(ETL_TASKS), "--output", "json"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    body = json.loads(result.stdout)
    assert body["state"]["result_state"] == "SUCCESS", body["state"]
    tasks = {t["task_key"]: t for t in body["tasks"]}
    assert sorted(tasks) == sorted(ETL_TASKS)
    # the wheel task started the all-purpose cluster setup created, and ran on it
    assert (seed_home.home / "clusters" / seed_home.cluster_id / "driver.log").exists()

    run_date = _run_date(body)
    raw = seed_home.table("main.etl_daily.raw_events")
    assert raw.num_rows == 24
    assert set(raw.column("environment").to_pylist()) == {"production"}
    clean = seed_home.table("main.etl_daily.events_clean")
    assert clean.num_rows == 20  # two duplicates, one without a user, one garbled amount
    assert {str(day) for day in clean.column("event_date").to_pylist()} == {run_date}
    (checks_log,) = (seed_home.home / "runs" / str(body["run_id"])).glob(
        "*-data_quality_checks/stdout.log"
    )
    assert f"events_clean {run_date}: 20 rows, 6 of 6 checks passed" in checks_log.read_text()

    # The same checks fail on bad data: run them in the task's own library environment
    # (great-expectations 0.18 and the wheel, as the job installed them).
    # (the cluster's library installer builds environments too: take the one with GX)
    environment = next(
        folder / "bin" / "python"
        for folder in (seed_home.home / "environments").iterdir()
        if any(folder.glob("lib/*/site-packages/great_expectations"))
    )
    bad = (
        "import pandas as pd\n"
        "from data_quality.checks import check_events\n"
        "frame = pd.DataFrame({'event_id': ['e-1', 'e-1'], 'user_id': ['u-1', None],\n"
        "    'event_type': ['view', 'refund'], 'amount': [-5.0, 1.0]})\n"
        "print(sorted(r.expectation for r in check_events(frame) if not r.success))\n"
    )
    checked = subprocess.run(
        [str(environment), "-c", bad], capture_output=True, text=True, timeout=120, check=False
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert checked.stdout.strip().splitlines()[-1] == str(
        sorted(
            [
                "expect_column_values_to_be_between",
                "expect_column_values_to_be_in_set",
                "expect_column_values_to_be_unique",
                "expect_column_values_to_not_be_null",
            ]
        )
    )
