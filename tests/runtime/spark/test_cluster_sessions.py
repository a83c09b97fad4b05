"""CLUSTER sessions: task processes ask a real control socket for their cluster and connect to
its real Spark Connect server; the tasks of a run share it, and see each other's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from brickyard.compute.spark.connect_server import free_port
from support.spark_tasks import Cluster, code_cells, magic, nb


def test_two_tasks_share_the_cluster_and_see_each_others_tables(
    task_env: Any, cluster: Cluster
) -> None:
    writer = task_env.run_notebook(
        nb(
            "spark.sql('CREATE SCHEMA IF NOT EXISTS main.shared')\n"
            "spark.range(5).write.mode('overwrite').saveAsTable('main.shared.numbers')",
            magic("%sql", "SELECT count(*) AS n FROM main.shared.numbers"),
            "print('sqldf', _sqldf.first()['n'])",
            "sc.parallelize([1])",
        ),
        **cluster.fields(),
    )
    reader = task_env.run_script(
        "from pyspark.sql import SparkSession\n"
        "spark = SparkSession.builder.appName('reader').getOrCreate()\n"
        "assert SparkSession.getActiveSession() is spark\n"
        "print('rows', spark.table('main.shared.numbers').count())\n",
        **cluster.fields(),
    )

    assert "sqldf 5" in writer.stdout
    # Spark Connect has no SparkContext: sc says so (the fourth cell), as shared clusters do.
    assert writer.result["status"] == "FAILED"
    assert writer.result["error"].startswith(
        "SparkSessionError: sc (the SparkContext) does not exist in this task"
    )
    assert "Spark Connect has no SparkContext" in writer.result["error"]
    sql_cell = code_cells(writer.notebook)[1]
    shown = [o for o in sql_cell["outputs"] if o["output_type"] == "display_data"]
    assert "<table" in shown[0]["data"]["text/html"] and ">5<" in shown[0]["data"]["text/html"]

    assert reader.result["status"] == "SUCCESS", reader.result
    assert "rows 5" in reader.stdout
    # each task asked once for its cluster, with its own task run id
    asked = [request["task_run_id"] for request in cluster.requests[-2:]]
    assert [request["op"] for request in cluster.requests[-2:]] == ["spark_cluster"] * 2
    assert asked[0] != asked[1]
    assert (cluster.home / "lakehouse" / "main" / "shared" / "numbers").is_dir()
    # the task ended its client only: the cluster's server still serves
    assert cluster.server.is_alive()


def test_an_ipynb_notebook_runs_sql_cells_in_its_kernel(task_env: Any, cluster: Cluster) -> None:
    notebook = task_env.script(
        "nb/query.ipynb",
        nbformat.writes(
            nbformat.v4.new_notebook(
                cells=[
                    nbformat.v4.new_code_cell(
                        "spark.createDataFrame([(1, 'a'), (2, 'b')], 'k INT, v STRING')"
                        ".createOrReplaceTempView('pairs')"
                    ),
                    nbformat.v4.new_code_cell("%sql\nSELECT v FROM pairs WHERE k = :k"),
                    nbformat.v4.new_code_cell("print('picked', _sqldf.first()['v'])"),
                    nbformat.v4.new_code_cell("%scala\nprintln(1)"),
                ]
            )
        ),
    )
    spec = task_env.spec(
        "notebook",
        notebook_file=str(notebook),
        notebook_format="JUPYTER",
        widgets={"k": "2"},
        **cluster.fields(),
    )
    run = task_env.run(spec)
    texts = ["".join(o.get("text", "") for o in cell["outputs"]) for cell in run.notebook["cells"]]
    assert texts[2] == "picked b\n"
    assert run.result["status"] == "FAILED"
    # the cell's number is the one the executed notebook shows beside it
    assert run.notebook["cells"][3]["execution_count"] == 4
    assert run.result["error"] == (
        "CellError: %scala cells are not supported: brickyard runs Python and SQL notebook "
        "cells only (cell 4)"
    )


def test_the_engines_error_fails_the_task_with_its_text(task_env: Any, cluster: Cluster) -> None:
    cluster.answers.append(lambda payload: {"ok": False, "error": "node type x9 is unknown"})
    run = task_env.run_script("print(spark.range(1).count())", **cluster.fields())
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == (
        "SparkSessionError: the task's Spark cluster is not available: node type x9 is unknown"
    )


def test_a_server_that_does_not_answer_is_named(task_env: Any, cluster: Cluster) -> None:
    remote = f"sc://127.0.0.1:{free_port()}"
    cluster.answers.append(lambda payload: {"ok": True, "remote": remote, "cluster_id": "c-9"})
    run = task_env.run_notebook(nb("spark.range(1).count()"), **cluster.fields())
    assert run.result["status"] == "FAILED"
    assert run.result["error"].startswith(
        f"SparkSessionError: cannot connect to the cluster's Spark Connect server at {remote}: "
    )


def test_a_cluster_task_without_the_engine_says_it_needs_one(task_env: Any) -> None:
    run = task_env.run_script(
        "print(spark.range(1).count())", spark={"mode": "cluster"}, control_socket=None
    )
    assert run.result["status"] == "FAILED"
    assert "only the brickyard engine can start" in run.result["error"]


def test_a_spark_error_fails_the_task_with_its_class_and_message(
    task_env: Any, cluster: Cluster
) -> None:
    run = task_env.run_notebook(
        nb(magic("%sql", "SELECT * FROM main.nowhere.nothing")), **cluster.fields()
    )
    assert run.result["status"] == "FAILED"
    assert run.result["error"].startswith("AnalysisException: [TABLE_OR_VIEW_NOT_FOUND]")
    assert "`main`.`nowhere`.`nothing`" in run.result["error"]
    assert "\n" not in run.result["error"]  # the JVM's stack trace is in the error trace
    assert "JVM stacktrace" in run.result["error_trace"]


def test_a_wheel_entry_point_gets_the_clusters_session(
    task_env: Any, cluster: Cluster, tmp_path: Path
) -> None:
    # An installed package whose entry point does what Databricks wheels do: getOrCreate().
    site = tmp_path / "site"
    (site / "etl_job").mkdir(parents=True)
    (site / "etl_job" / "__init__.py").write_text(
        "from pyspark.sql import SparkSession\n"
        "def main():\n"
        "    spark = SparkSession.builder.getOrCreate()\n"
        "    rows = spark.createDataFrame([(1,), (2,)], 'n INT').agg({'n': 'sum'}).first()[0]\n"
        "    print('sum', rows, type(spark).__module__)\n"
    )
    dist_info = site / "etl_job-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: etl-job\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[console_scripts]\netl = etl_job:main\n")
    spec = task_env.spec(
        "python_wheel",
        package_name="etl_job",
        entry_point="etl",
        sys_path=[str(site)],
        **cluster.fields(),
    )
    run = task_env.run(spec)
    assert run.result["status"] == "SUCCESS", run.result
    assert "sum 3 pyspark.sql.connect.session" in run.stdout


def test_a_sql_notebook_runs_every_cell_as_sql(task_env: Any, cluster: Cluster) -> None:
    source = (
        "-- Databricks notebook source\n"
        "CREATE SCHEMA IF NOT EXISTS main.sqlnb;\n"
        "CREATE OR REPLACE TABLE main.sqlnb.days AS SELECT * FROM VALUES ('mon', 1), ('tue', 2)"
        " AS t(day, n)\n\n"
        "-- COMMAND ----------\n\n"
        "SELECT n FROM main.sqlnb.${table} WHERE day = :day\n\n"
        "-- COMMAND ----------\n\n"
        "-- MAGIC %python\n"
        "-- MAGIC print('picked', _sqldf.first()['n'])\n\n"
        "-- COMMAND ----------\n\n"
        "CREATE WIDGET DROPDOWN pick DEFAULT 'mon' CHOICES SELECT day FROM main.sqlnb.days\n"
    )
    run = task_env.run_notebook(
        source, name="days.sql", widgets={"day": "tue", "table": "days"}, **cluster.fields()
    )
    assert run.result["status"] == "SUCCESS", run.result
    assert "picked 2" in run.stdout
    first, second, _, _ = code_cells(run.notebook)
    assert first["outputs"] == []  # DDL shows nothing
    shown = [o for o in second["outputs"] if o["output_type"] == "display_data"]
    assert "<td>2</td>" in shown[0]["data"]["text/html"]
    # the dropdown's choices came from its query
    assert run.notebook["metadata"]["brickyard"]["widgets"] == {"pick": "mon"}
