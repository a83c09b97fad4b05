"""A spark-submit Python application runs on the task's library environment: a wheel from
its ``libraries`` is importable in the driver, as on a Databricks cluster."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from brickyard.compute.spark.lakehouse import table_folder
from support.job_runs import run_job, settings_for
from support.spark import spark_or_skip

pytestmark = pytest.mark.slow

APP = """
from pipeline_helpers import label
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
spark.createDataFrame([(label(n),) for n in range(3)], "label string") \\
    .write.mode("overwrite").saveAsTable("main.default.labels")
print("labels", sorted(r.label for r in spark.table("main.default.labels").collect()))
spark.stop()
"""


def test_a_wheel_library_is_importable_in_a_python_application(
    tmp_path: Path, wheel_builder: Callable[..., Path]
) -> None:
    spark_or_skip()
    settings = settings_for(tmp_path / "home")
    wheel = wheel_builder(
        settings.dbfs_root / "wheels",
        "pipeline_helpers",
        module_source="def label(n):\n    return f'row-{n}'\n",
    )
    (settings.dbfs_root / "apps").mkdir(parents=True)
    (settings.dbfs_root / "apps" / "labels.py").write_text(APP)
    job = {
        "name": "python libraries",
        "tasks": [
            {
                "task_key": "labels",
                "spark_submit_task": {"parameters": ["dbfs:/apps/labels.py"]},
                "libraries": [{"whl": f"dbfs:/wheels/{wheel.name}"}],
            }
        ],
    }
    finished = run_job(settings, job, base_dir=tmp_path)
    task = finished.tasks["labels"]
    assert finished.result("labels") == "SUCCESS", (task.state_message, task.logs)
    assert task.logs is not None and "labels ['row-0', 'row-1', 'row-2']" in task.logs
    assert list(table_folder(settings.lakehouse_root, "main.default.labels").glob("*.parquet"))
