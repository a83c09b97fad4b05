"""spark_jar_task end to end through the real engine: a Java Spark app compiled with javac
runs with spark-submit on a job cluster, writes a lakehouse table, fails with the Java
exception, and finds a Maven library (with its dependency) from a real file repository.

One job holds the JVM tasks so the module pays its JVM starts once (this machine has 2 cores).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import table_folder
from brickyard.executors.outcome import read_logs_tail
from brickyard.settings import Settings
from brickyard.task_protocol import TaskFiles
from support.job_runs import FinishedRun, run_job, settings_for
from support.maven_repo import greeter_repo
from support.spark import spark_or_skip
from support.spark_jobs import (
    FAIL_CLASS,
    FAIL_MESSAGE,
    GREET_CLASS,
    PROCESS_CLASS,
    PROCESSED_TABLE,
    build_greet_jar,
    build_pipeline_jar,
    javac_of,
)

pytestmark = pytest.mark.slow


JOB_CLUSTER = {
    "job_cluster_key": "etl_cluster",
    "new_cluster": {
        "spark_version": "15.4.x-scala2.12",
        "node_type_id": "Standard_DS3_v2",
        "num_workers": 1,
        "spark_conf": {"spark.sql.shuffle.partitions": "2"},
        "spark_env_vars": {"PIPELINE_ENV": "test"},
    },
}


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    found = spark_or_skip()
    if found.javac is None:
        pytest.skip(f"{found.java} has no javac next to it (the test compiles its Java app)")
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jar-home")


@pytest.fixture(scope="module")
def settings(home: Path) -> Settings:
    return settings_for(home / "brickyard")


@pytest.fixture(scope="module")
def finished(installation: SparkInstallation, home: Path, settings: Settings) -> FinishedRun:
    javac = javac_of(installation)
    job_dir = home / "job"
    build_pipeline_jar(installation, job_dir / "target" / "pipeline.jar")
    repo = greeter_repo(home / "m2", javac=javac)
    greet = build_greet_jar(home / "greet.jar", repo, javac=javac)
    dbfs_jar = settings.dbfs_root / "FileStore" / "jars" / "greet.jar"
    dbfs_jar.parent.mkdir(parents=True)
    shutil.copy(greet, dbfs_jar)
    pipeline_jar = {"jar": "target/pipeline.jar"}
    tasks: list[dict[str, Any]] = [
        {
            "task_key": "process",
            "job_cluster_key": "etl_cluster",
            "spark_jar_task": {
                "main_class_name": PROCESS_CLASS,
                "parameters": ["--date", "{{job.parameters.date}}"],
            },
            "libraries": [pipeline_jar],
        },
        {
            "task_key": "fail",
            "job_cluster_key": "etl_cluster",
            "spark_jar_task": {"main_class_name": FAIL_CLASS, "parameters": ["2026-12-01"]},
            "libraries": [pipeline_jar],
        },
        {
            "task_key": "greet",
            "depends_on": [{"task_key": "process"}],
            "spark_jar_task": {"main_class_name": GREET_CLASS, "parameters": ["brickyard"]},
            "libraries": [
                {"jar": "dbfs:/FileStore/jars/greet.jar"},
                {"maven": {"coordinates": "com.example:greeter:1.0", "repo": repo.url}},
            ],
        },
        {
            "task_key": "times_out",
            "timeout_seconds": 2,
            "spark_jar_task": {
                "main_class_name": PROCESS_CLASS,
                "parameters": ["--date", "2026-12-01", "--table", "main.default.never"],
            },
            "libraries": [pipeline_jar],
        },
        {
            "task_key": "no_such_class",
            "spark_jar_task": {"main_class_name": "com.example.pipeline.Nope"},
            "libraries": [pipeline_jar],
        },
        {
            "task_key": "missing_jar",
            "spark_jar_task": {"main_class_name": PROCESS_CLASS},
            "libraries": [{"jar": "dbfs:/FileStore/jars/gone.jar"}],
        },
        {
            "task_key": "unresolved",
            "spark_jar_task": {"main_class_name": PROCESS_CLASS},
            "libraries": [
                pipeline_jar,
                {"maven": {"coordinates": "com.example:nope:9.9", "repo": repo.url}},
            ],
        },
    ]
    job = {
        "name": "jar pipeline",
        "parameters": [{"name": "date", "default": "2026-12-01"}],
        "job_clusters": [JOB_CLUSTER],
        "tasks": tasks,
    }
    return run_job(settings, job, base_dir=job_dir)


def stderr_of(finished: FinishedRun, key: str) -> str:
    task_dir = finished.tasks[key].task_dir
    assert task_dir is not None
    return TaskFiles.of(Path(task_dir)).stderr.read_text()


def test_a_jar_task_on_a_job_cluster_writes_a_lakehouse_table(
    finished: FinishedRun, settings: Settings
) -> None:
    task = finished.tasks["process"]
    assert finished.result("process") == "SUCCESS", (task.state_message, task.logs)
    folder = table_folder(settings.lakehouse_root, PROCESSED_TABLE)
    assert list(folder.glob("*.parquet")), f"no data files in {folder}"
    assert task.logs is not None
    assert "processed 3 rows for 2026-12-01 into main.default.processed on local[2]" in task.logs
    # the job cluster's spark_conf and spark_env_vars reach the driver
    assert "shuffle partitions 2, PIPELINE_ENV test" in task.logs


def test_the_cap_note_is_the_first_line_of_the_log(finished: FinishedRun) -> None:
    first = stderr_of(finished, "process").splitlines()[0]
    assert first.startswith("cluster etl_cluster: 1 x Standard_DS3_v2 asks for 4 cores")
    assert "local[2]" in first


def test_an_uncaught_java_exception_fails_the_task_with_its_line(finished: FinishedRun) -> None:
    task = finished.tasks["fail"]
    assert finished.result("fail") == "FAILED"
    expected = f"java.lang.IllegalStateException: {FAIL_MESSAGE} 2026-12-01"
    assert task.state_message == expected
    assert task.error == expected
    assert task.error_trace is not None
    assert "at com.example.pipeline.Fail.main(Fail.java" in task.error_trace
    assert task.logs is not None and expected in task.logs


def test_a_maven_library_and_its_dependency_are_on_the_classpath(finished: FinishedRun) -> None:
    task = finished.tasks["greet"]
    assert finished.result("greet") == "SUCCESS", (task.state_message, task.logs)
    assert task.logs is not None and "hello, brickyard" in task.logs


def test_a_main_class_in_no_jar_fails_before_a_jvm_starts(finished: FinishedRun) -> None:
    task = finished.tasks["no_such_class"]
    assert finished.result("no_such_class") == "FAILED"
    assert task.state_message == (
        "main class com.example.pipeline.Nope is not in the task's jars (pipeline.jar)"
    )


def test_a_missing_jar_names_the_library_and_path(
    finished: FinishedRun, settings: Settings
) -> None:
    task = finished.tasks["missing_jar"]
    assert finished.result("missing_jar") == "FAILED"
    assert task.state_message.startswith("jar library 'dbfs:/FileStore/jars/gone.jar': ")
    assert str(settings.dbfs_root / "FileStore" / "jars" / "gone.jar") in task.state_message


def test_an_unresolved_maven_library_names_the_coordinate_and_repository(
    finished: FinishedRun,
) -> None:
    task = finished.tasks["unresolved"]
    assert finished.result("unresolved") == "FAILED"
    assert task.state_message.startswith("maven library com.example:nope:9.9: unresolved")
    assert "repositories tried: file://" in task.state_message


def test_the_run_fails_and_its_logs_are_the_drivers(finished: FinishedRun) -> None:
    assert finished.run.result_state is not None
    assert finished.run.result_state.value == "FAILED"
    task_dir = finished.tasks["process"].task_dir
    assert task_dir is not None
    files = TaskFiles.of(Path(task_dir))
    logs, _ = read_logs_tail(files.stdout, files.stderr)
    assert "processed 3 rows" in logs


def test_a_timeout_stops_the_driver_and_its_jvm(finished: FinishedRun, settings: Settings) -> None:
    task = finished.tasks["times_out"]
    assert finished.result("times_out") == "TIMEDOUT"
    assert task.pid is not None
    deadline = time.monotonic() + 15  # SIGTERM, then SIGKILL after the grace period
    while _group_alive(task.pid):
        assert time.monotonic() < deadline, "the driver's process group outlived the timeout"
        time.sleep(0.1)
    assert not table_folder(settings.lakehouse_root, "main.default.never").exists()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
