"""RuntimeSpec.spark from the task's compute: a cluster's tasks connect to it, every other task
gets a LOCAL session over the lakehouse; no Spark on the machine, no session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.environments import PythonEnvironment
from brickyard.executors.process_plan import plan_task_process
from brickyard.executors.spark_sessions import spark_session_spec
from brickyard.task_protocol import (
    PythonFilePayload,
    SparkMode,
    SparkSessionSpec,
    TaskFiles,
    read_runtime_spec,
)
from support.spark import spark_or_skip

SCRIPT = {"spark_python_task": {"python_file": "x.py"}}
CLUSTER = {"num_workers": 1, "node_type_id": "Standard_DS3_v2", "spark_version": "15.4.x"}


@pytest.fixture(autouse=True)
def _spark() -> None:
    spark_or_skip()


@pytest.mark.parametrize(
    ("compute", "job"),
    [
        ({"new_cluster": CLUSTER}, {}),
        (
            {"job_cluster_key": "shared"},
            {"job_clusters": [{"job_cluster_key": "shared", "new_cluster": CLUSTER}]},
        ),
        ({"existing_cluster_id": "0101-abc"}, {}),
    ],
)
def test_a_task_with_a_cluster_connects_to_it(
    runner: Any, compute: dict[str, Any], job: dict[str, Any]
) -> None:
    request = runner.request({"task_key": "load", **SCRIPT, **compute}, job=job)
    assert spark_session_spec(request) == SparkSessionSpec(
        mode=SparkMode.CLUSTER, app_name="load (run 100)"
    )


@pytest.mark.parametrize("compute", [{}, {"environment_key": "default"}])
def test_a_task_without_a_cluster_gets_a_local_session_over_the_lakehouse(
    runner: Any, compute: dict[str, Any], tmp_path: Path
) -> None:
    job = {"environments": [{"environment_key": "default", "spec": {"client": "1"}}]}
    request = runner.request({"task_key": "local", **SCRIPT, **compute}, job=job)
    environment = PythonEnvironment("k", sys.executable, ())

    plan_task_process(
        request, payload=PythonFilePayload(tmp_path / "x.py"), cwd=tmp_path, environment=environment
    )

    spark = read_runtime_spec(TaskFiles.of(request.task_dir).spec).spark
    assert spark is not None and spark.mode is SparkMode.LOCAL
    assert spark.master is None  # the runtime's local[*]
    lakehouse = runner.settings.lakehouse_root
    assert spark.conf["spark.sql.catalog.main"] == "brickyard.spark.LakehouseCatalog"
    assert spark.conf["spark.sql.catalog.main.root"] == str(lakehouse / "main")
    assert spark.conf["spark.sql.defaultCatalog"] == "main"
    (jar,) = spark.jars
    assert Path(jar).parent == runner.settings.spark_root / "lakehouse"
    with zipfile.ZipFile(jar) as archive:
        assert "brickyard/spark/LakehouseCatalog.class" in archive.namelist()


def test_a_second_home_gets_the_compiled_jar_without_javac(runner: Any, tmp_path: Path) -> None:
    first = spark_session_spec(runner.request({"task_key": "a", **SCRIPT}))
    assert first is not None
    other = replace(runner.settings, home=tmp_path / "other-home")
    second = spark_session_spec(runner.request({"task_key": "b", **SCRIPT}, settings=other))
    assert second is not None
    assert Path(second.jars[0]).parent == other.spark_root / "lakehouse"
    assert Path(second.jars[0]).read_bytes() == Path(first.jars[0]).read_bytes()


def test_without_java_there_is_no_session(tmp_path: Path) -> None:
    # find_spark is cached per process: a process of its own with a Java that is not there.
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from brickyard.executors.spark_sessions import spark_session_spec\n"
        "from brickyard.executors.base import TaskLaunchRequest\n"
        "from brickyard.params import ResolvedTaskParameters\n"
        "from brickyard.settings import Settings\n"
        "from brickyard.spec import JobSettings, Task\n"
        "task = {'task_key': 't', 'spark_python_task': {'python_file': 'x.py'}}\n"
        "home = Path(sys.argv[1])\n"
        "request = TaskLaunchRequest(task=Task.model_validate(task),\n"
        "    job_settings=JobSettings.model_validate({'name': 'j', 'tasks': [task]}),\n"
        "    parameters=ResolvedTaskParameters(), job_id=1, job_run_id=2, task_run_id=3,\n"
        "    attempt_number=0, task_dir=home / 't', base_dir=None,\n"
        "    settings=Settings(home=home, database_url='sqlite://'))\n"
        "print(json.dumps(spark_session_spec(request) is None))\n"
    )
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}
    completed = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(completed.stdout) is True


def test_pyspark_is_found_without_importing_it() -> None:
    # Importing pyspark costs ~0.2 s: the engine loop reads its version file instead.
    code = (
        "import sys\n"
        "from brickyard.executors.spark_sessions import pyspark_version\n"
        "found = pyspark_version()\n"
        "assert 'pyspark' not in sys.modules\n"
        "import pyspark\n"
        "print(found == pyspark.__version__)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "True"
