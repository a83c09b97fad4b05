"""The same JAR job on a real Spark standalone cluster (a master and a worker on loopback,
from pyspark's Spark): the cluster setting names the master, the driver's work runs on the
worker's executor, and the table lands in the same lakehouse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import table_folder
from brickyard.settings import Settings
from support.job_runs import run_job, settings_for
from support.spark import spark_or_skip
from support.spark_jobs import PROCESS_CLASS, build_pipeline_jar
from support.spark_standalone import StandaloneCluster, standalone_cluster

pytestmark = pytest.mark.slow

WORKERS = 1
"""One worker: the two-worker spread is the Connect server's test (tests/compute/spark); a JAR
driver needs only to reach a real master's executors (each JVM costs seconds on 2 cores)."""


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    found = spark_or_skip()
    if found.javac is None:
        pytest.skip(f"{found.java} has no javac next to it (the test compiles its Java app)")
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("standalone-jar")


@pytest.fixture(scope="module")
def cluster(installation: SparkInstallation, home: Path) -> Iterator[StandaloneCluster]:
    with standalone_cluster(
        installation, home / "standalone", workers=WORKERS, cores=4, memory="2g"
    ) as running:
        yield running


def test_a_jar_task_runs_on_the_standalone_master(
    installation: SparkInstallation, cluster: StandaloneCluster, home: Path
) -> None:
    settings: Settings = replace(settings_for(home / "brickyard"), spark_master=cluster.master_url)
    build_pipeline_jar(installation, home / "job" / "pipeline.jar")
    job = {
        "name": "on standalone",
        "job_clusters": [
            {
                "job_cluster_key": "shared",
                "new_cluster": {
                    "node_type_id": "Standard_DS3_v2",
                    "num_workers": WORKERS,
                    "spark_conf": {"spark.executor.memory": "1g"},
                },
            }
        ],
        "tasks": [
            {
                "task_key": "process",
                "job_cluster_key": "shared",
                "spark_jar_task": {
                    "main_class_name": PROCESS_CLASS,
                    "parameters": ["--date", "2026-12-06"],
                },
                "libraries": [{"jar": "pipeline.jar"}],
            }
        ],
    }
    finished = run_job(settings, job, base_dir=home / "job")
    task = finished.tasks["process"]
    assert finished.result("process") == "SUCCESS", (task.state_message, task.logs)
    assert task.logs is not None
    assert f"into main.default.processed on {cluster.master_url}" in task.logs
    folder = table_folder(settings.lakehouse_root, "main.default.processed")
    assert list(folder.glob("*.parquet"))
    completed = cluster.state().get("completedapps", [])
    assert any(app.get("name") == "shared" for app in completed), completed
