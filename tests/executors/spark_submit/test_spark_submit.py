"""spark_submit_task end to end through the real engine: spark-submit's own arguments with a
jar on DBFS (the user's ``--master`` winning over brickyard's), a ``.py`` application that
writes a lakehouse table, and a failing main class.

One job holds the JVM tasks so the module pays its JVM starts once (this machine has 2 cores).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import table_folder
from brickyard.settings import Settings
from support.job_runs import FinishedRun, run_job, settings_for
from support.maven_repo import MavenRepo, greeter_repo
from support.spark import spark_or_skip
from support.spark_jobs import (
    FAIL_CLASS,
    FAIL_MESSAGE,
    GREET_CLASS,
    PROCESS_CLASS,
    build_greet_jar,
    build_pipeline_jar,
    javac_of,
)

pytestmark = pytest.mark.slow


PY_APP = """
import sys

from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
spark.createDataFrame([(sys.argv[1], n) for n in range(4)], "date string, n long") \\
    .write.mode("overwrite").saveAsTable("main.default.from_python")
print("python wrote", spark.table("main.default.from_python").count(), "rows")
spark.stop()
"""


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    found = spark_or_skip()
    if found.javac is None:
        pytest.skip(f"{found.java} has no javac next to it (the test compiles its Java app)")
    return found


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("submit-home")


@pytest.fixture(scope="module")
def repo(installation: SparkInstallation, root: Path) -> MavenRepo:
    return greeter_repo(root / "m2", javac=javac_of(installation))


@pytest.fixture(scope="module")
def settings(root: Path, repo: MavenRepo) -> Settings:
    # the configured repositories: where a --packages of the user is looked for
    return replace(settings_for(root / "brickyard"), maven_repositories=(repo.url,))


@pytest.fixture(scope="module")
def finished(installation: SparkInstallation, settings: Settings, repo: MavenRepo) -> FinishedRun:
    build_pipeline_jar(installation, settings.dbfs_root / "apps" / "pipeline.jar")
    build_greet_jar(settings.dbfs_root / "apps" / "greet.jar", repo, javac=javac_of(installation))
    (settings.dbfs_root / "apps" / "count.py").write_text(PY_APP)
    jar = "dbfs:/apps/pipeline.jar"
    tasks = [
        {
            "task_key": "submit",
            "spark_submit_task": {
                "parameters": [
                    "--master",
                    "local[1]",
                    "--class",
                    PROCESS_CLASS,
                    jar,
                    "--date",
                    "2026-12-02",
                    "--table",
                    "main.default.submitted",
                ]
            },
        },
        {
            "task_key": "python_app",
            "spark_submit_task": {"parameters": ["dbfs:/apps/count.py", "2026-12-03"]},
        },
        {
            "task_key": "packages",
            "spark_submit_task": {
                "parameters": [
                    "--packages",
                    "com.example:greeter:1.0",
                    "--class",
                    GREET_CLASS,
                    "dbfs:/apps/greet.jar",
                    "packages",
                ]
            },
        },
        {
            "task_key": "fail",
            "spark_submit_task": {"parameters": ["--class", FAIL_CLASS, jar, "2026-12-04"]},
        },
        {
            "task_key": "no_application",
            "spark_submit_task": {"parameters": ["--class", PROCESS_CLASS]},
        },
    ]
    return run_job(settings, {"name": "submit", "tasks": tasks}, base_dir=settings.home)


def test_spark_submit_arguments_run_a_jar_from_dbfs(
    finished: FinishedRun, settings: Settings
) -> None:
    task = finished.tasks["submit"]
    assert finished.result("submit") == "SUCCESS", (task.state_message, task.logs)
    assert task.logs is not None
    assert "processed 3 rows for 2026-12-02 into main.default.submitted on local[1]" in task.logs
    assert list(table_folder(settings.lakehouse_root, "main.default.submitted").glob("*.parquet"))


def test_a_python_application_writes_a_lakehouse_table(
    finished: FinishedRun, settings: Settings
) -> None:
    task = finished.tasks["python_app"]
    assert finished.result("python_app") == "SUCCESS", (task.state_message, task.logs)
    assert task.logs is not None and "python wrote 4 rows" in task.logs
    folder = table_folder(settings.lakehouse_root, "main.default.from_python")
    assert list(folder.glob("*.parquet"))


def test_a_failing_main_class_fails_with_the_java_exception(finished: FinishedRun) -> None:
    task = finished.tasks["fail"]
    assert finished.result("fail") == "FAILED"
    assert task.state_message == f"java.lang.IllegalStateException: {FAIL_MESSAGE} 2026-12-04"
    assert task.error_trace is not None and "Fail.main" in task.error_trace


def test_parameters_without_an_application_fail_before_a_jvm_starts(
    finished: FinishedRun,
) -> None:
    task = finished.tasks["no_application"]
    assert finished.result("no_application") == "FAILED"
    assert "no application" in task.state_message


def test_packages_are_resolved_from_the_configured_repositories(finished: FinishedRun) -> None:
    task = finished.tasks["packages"]
    assert finished.result("packages") == "SUCCESS", (task.state_message, task.logs)
    assert task.logs is not None and "hello, packages" in task.logs
