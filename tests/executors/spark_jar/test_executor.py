"""SparkJarExecutor.prepare without starting a JVM: the process it plans (the task-protocol
wrapper around spark-submit), its environment, the first lines of its log, and the inputs
it refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.spark import driver_process
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.errors import TaskLaunchError
from brickyard.params import ResolvedTaskParameters
from support.spark import spark_or_skip
from support.spark_jobs import PROCESS_CLASS, build_pipeline_jar


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    found = spark_or_skip()
    if found.javac is None:
        pytest.skip(f"{found.java} has no javac next to it (the test compiles its Java app)")
    return found


@pytest.fixture(scope="module")
def pipeline_jar(installation: SparkInstallation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pipeline_jar(installation, tmp_path_factory.mktemp("jar") / "pipeline.jar")


def jar_task(**fields: Any) -> dict[str, Any]:
    return {"task_key": "process", "spark_jar_task": {"main_class_name": PROCESS_CLASS}, **fields}


def test_the_process_is_spark_submit_under_the_protocol_wrapper(
    runner: Any, installation: SparkInstallation, pipeline_jar: Path
) -> None:
    task = jar_task(
        new_cluster={"num_workers": 0, "spark_env_vars": {"PIPELINE_ENV": "dev"}},
        spark_jar_task={"main_class_name": PROCESS_CLASS, "jar_uri": str(pipeline_jar)},
        health={"rules": [{"metric": "RUN_DURATION_SECONDS", "op": "GREATER_THAN", "value": 9}]},
    )
    request = runner.request(task, ResolvedTaskParameters(argv=("--date", "2026-12-07")))
    plan = runner.registry.executor_for(request.task).prepare(request)
    argv = list(plan.process.argv)
    assert plan.process.runtime_spec is None
    assert argv[:4] == [
        runner.settings.python_executable,
        "-m",
        driver_process.__name__,
        str(Path(request.task_dir).absolute()),
    ]
    assert argv[4] == str(installation.spark_submit)
    # jar_uri (deprecated, still in old jobs) is the primary jar
    assert argv[-5:] == ["--class", PROCESS_CLASS, str(pipeline_jar), "--date", "2026-12-07"]
    env = plan.process.env
    assert env["SPARK_HOME"] == str(installation.spark_home)
    assert env["PIPELINE_ENV"] == "dev"
    assert env["PYSPARK_PYTHON"] == runner.settings.python_executable
    header = plan.process.stderr_path.read_text().splitlines()
    # the sizing cap (on a machine smaller than the default node) then the settings not acted on
    assert header[-1] == "warning: health: health rules are not evaluated by brickyard yet"
    assert all(line.startswith("cluster process: ") for line in header[:-1])
    assert not plan.result_file.exists()


def test_a_task_without_main_class_is_refused(runner: Any, pipeline_jar: Path) -> None:
    task = jar_task(spark_jar_task={"parameters": ["x"]}, libraries=[{"jar": str(pipeline_jar)}])
    request = runner.request(task)
    with pytest.raises(TaskLaunchError, match="main_class_name is required") as raised:
        runner.registry.executor_for(request.task).prepare(request)
    assert raised.value.termination_code == "INVALID_RUN_CONFIGURATION"


def test_a_task_without_any_jar_is_refused(runner: Any) -> None:
    request = runner.request(jar_task())
    with pytest.raises(TaskLaunchError, match="has no jar to run it from") as raised:
        runner.registry.executor_for(request.task).prepare(request)
    assert raised.value.termination_code == "INVALID_RUN_CONFIGURATION"
