"""``brickyard run`` of notebooks that use ``spark``: the executors plan a LOCAL session (no
cluster in the job), the task builds it on first use, and the tables land in the home's
lakehouse, where the next task of the run reads them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support.spark import spark_or_skip

HEADER = "# Databricks notebook source\n"
SEP = "\n\n# COMMAND ----------\n\n"


@pytest.mark.e2e
@pytest.mark.slow
def test_notebooks_without_a_cluster_share_the_lakehouse(cli: Any, latest_tasks: Any) -> None:
    spark_or_skip()
    cli.write(
        "job/write.py",
        HEADER
        + SEP.join(
            [
                "spark.sql('CREATE SCHEMA IF NOT EXISTS main.e2e')\n"
                "spark.range(6).write.mode('overwrite').saveAsTable('main.e2e.numbers')",
                "# MAGIC %sql\n# MAGIC SELECT count(*) AS n FROM main.e2e.numbers WHERE id >= :low",
                "print('counted', _sqldf.first()['n'])",
            ]
        ),
    )
    cli.write("job/plain.py", HEADER + "print('no spark here', repr(spark))\n")
    job = cli.write(
        "job/job.json",
        json.dumps(
            {
                "name": "spark notebooks",
                "tasks": [
                    {
                        "task_key": "write",
                        "notebook_task": {
                            "notebook_path": "write.py",
                            "base_parameters": {"low": "2"},
                        },
                    },
                    {
                        "task_key": "plain",
                        "depends_on": [{"task_key": "write"}],
                        "notebook_task": {"notebook_path": "plain.py"},
                    },
                ],
            }
        ),
    )
    # A process that ever made a Spark Connect client leaves pyspark's Connect switch set; a
    # task without a cluster still gets a classic session.
    cli.env["SPARK_CONNECT_MODE_ENABLED"] = "1"
    result = cli("run", str(job), "--output", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    tasks = latest_tasks(json.loads(result.stdout))
    assert all(task["state"]["result_state"] == "SUCCESS" for task in tasks.values())
    table = cli.home / "lakehouse" / "main" / "e2e" / "numbers"
    assert list(table.glob("*.parquet"))
    logs = cli("runs", "logs", "1", "--task", "plain").stdout
    assert "no spark here <SparkSession: started on first use>" in logs
    written = cli("runs", "logs", "1", "--task", "write").stdout
    assert "counted 4" in written  # ids 2..5: the :low parameter came from the task
