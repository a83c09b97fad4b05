"""LOCAL sessions: a task without a cluster runs Spark in its own process over the lakehouse,
started the first time its code uses ``spark`` (and not at all when it never does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from support.spark import spark_or_skip
from support.spark_tasks import code_cells, local_session, magic, nb


@pytest.fixture(scope="module")
def spark_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One lakehouse (and one compiled catalog jar) for the module's tasks."""
    return tmp_path_factory.mktemp("local-spark-home")


@pytest.fixture(scope="module")
def session_spec(spark_home: Path) -> dict[str, Any]:
    return local_session(spark_or_skip(), spark_home)


def test_a_notebook_writes_a_table_queries_it_in_sql_and_displays_it(
    task_env: Any, session_spec: dict[str, Any], spark_home: Path
) -> None:
    run = task_env.run_notebook(
        nb(
            "spark.range(3).write.saveAsTable('main.default.t')",
            magic(
                "%sql",
                "-- the count, shown and kept in _sqldf",
                "SELECT count(*) AS n FROM main.default.t",
            ),
            "print('count', _sqldf.first()['n'], type(spark).__name__)",
            "display(spark.table('main.default.t').orderBy('id'))\nspark.table('main.default.t')",
            magic(
                "%sql",
                "CREATE OR REPLACE TEMPORARY VIEW big AS SELECT * FROM ${table} WHERE id >= :low;",
                "SELECT id FROM big ORDER BY id",
            ),
            "print('ids', [row.id for row in _sqldf.collect()], sc.parallelize([1, 2]).sum())\n"
            "print('jvm', sc._gateway.proc.pid)",
            magic("%scala", 'println("no")'),
        ),
        widgets={"low": "1", "table": "main.default.t"},
        spark=session_spec,
    )

    assert run.result["error"] == (
        "CellError: %scala cells are not supported: brickyard runs Python and SQL notebook "
        "cells only (cell 7)"
    )
    assert "count 3 SparkSession" in run.stdout
    assert "ids [1, 2] 3" in run.stdout
    cells = code_cells(run.notebook)
    counted = [o for o in cells[1]["outputs"] if o["output_type"] == "display_data"]
    assert counted[0]["data"]["text/html"].count("<td>3</td>") == 1
    shown = [o for o in cells[3]["outputs"] if o["output_type"] == "display_data"]
    html = shown[0]["data"]["text/html"]
    assert "<th>id</th>" in html and all(f"<td>{n}</td>" in html for n in range(3))
    # a DataFrame as the cell's last expression shows as Databricks shows it, not computed
    result = cells[3]["outputs"][-1]
    assert result["output_type"] == "execute_result"
    assert result["data"] == {"text/plain": "DataFrame[id: bigint]"}
    # the view's statement shows nothing; the last statement's rows are the cell's table
    shown = [o for o in cells[4]["outputs"] if o["output_type"] == "display_data"]
    assert len(shown) == 1 and "<td>0</td>" not in shown[0]["data"]["text/html"]
    table = spark_home / "lakehouse" / "main" / "default" / "t"
    assert (table / "_brickyard_table.json").is_file() and list(table.glob("*.parquet"))
    # the task stopped its session and its JVM before it ended
    jvm = int(run.stdout.split("jvm ", 1)[1].split()[0])
    assert not Path(f"/proc/{jvm}").exists()


def test_a_script_calling_get_or_create_gets_the_tasks_session(
    task_env: Any, session_spec: dict[str, Any], spark_home: Path
) -> None:
    # getOrCreate() without a master, as Databricks scripts call it, must return the session
    # with the lakehouse catalogs: its saveAsTable lands in the lakehouse.
    run = task_env.run_script(
        "from pyspark.sql import SparkSession\n"
        "assert SparkSession.getActiveSession() is not None\n"
        "session = SparkSession.builder.appName('mine').getOrCreate()\n"
        "assert session is spark and session is SparkSession.getActiveSession()\n"
        "session.sql('CREATE SCHEMA IF NOT EXISTS main.scripts')\n"
        "session.range(4).write.mode('overwrite').saveAsTable('main.scripts.four')\n"
        "print('rows', session.table('main.scripts.four').count())\n",
        spark=session_spec,
    )
    assert run.result["status"] == "SUCCESS", run.result
    assert "rows 4" in run.stdout
    assert (spark_home / "lakehouse" / "main" / "scripts" / "four").is_dir()


def test_a_notebook_that_never_uses_spark_starts_no_jvm(
    task_env: Any, session_spec: dict[str, Any]
) -> None:
    run = task_env.run_notebook(
        nb(
            "import os, sys\n"
            "children = [p for p in os.listdir('/proc') if p.isdigit()\n"
            "            and open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1]\n"
            "            == str(os.getpid())]\n"
            "print('pyspark' in sys.modules, children, repr(spark))",
            magic("%sql", "-- nothing to run"),
        ),
        spark=session_spec,
    )
    assert run.result["status"] == "SUCCESS", run.result
    assert "False [] <SparkSession: started on first use>" in run.stdout


def test_an_ipynb_notebook_gets_a_local_session_in_its_kernel(
    task_env: Any, session_spec: dict[str, Any]
) -> None:
    notebook = task_env.script(
        "nb/local.ipynb",
        nbformat.writes(
            nbformat.v4.new_notebook(
                cells=[
                    nbformat.v4.new_code_cell(
                        "total = sc.parallelize(range(4)).sum()\n"
                        "spark.range(3).write.mode('overwrite').saveAsTable('main.default.k')"
                    ),
                    nbformat.v4.new_code_cell("%sql\nSELECT count(*) AS n FROM main.default.k"),
                    nbformat.v4.new_code_cell("print('kernel', total, _sqldf.first()['n'])"),
                ]
            )
        ),
    )
    spec = task_env.spec(
        "notebook", notebook_file=str(notebook), notebook_format="JUPYTER", spark=session_spec
    )
    run = task_env.run(spec)
    assert run.result["status"] == "SUCCESS", run.result
    texts = ["".join(o.get("text", "") for o in cell["outputs"]) for cell in run.notebook["cells"]]
    assert texts[2] == "kernel 6 3\n"


def test_readers_and_writers_take_dbfs_and_volume_paths(
    task_env: Any, session_spec: dict[str, Any]
) -> None:
    run = task_env.run_notebook(
        nb(
            "dbutils.fs.put('dbfs:/landing/r.csv', 'a,b\\n1,2\\n3,4\\n', True)\n"
            "df = spark.read.csv('dbfs:/landing/r.csv', header=True)\n"
            "print('rows', df.count())",
            "df.write.mode('overwrite').parquet('/dbfs/out/r')\n"
            "df.write.mode('overwrite').format('json').save(path='/Volumes/main/raw/files/j')\n"
            "print('back', spark.read.parquet('dbfs:/out/r').count(), "
            "spark.read.format('json').load('/Volumes/main/raw/files/j').count())",
        ),
        spark=session_spec,
    )
    assert run.result["status"] == "SUCCESS", run.result
    assert "rows 2" in run.stdout and "back 2 2" in run.stdout
    assert list((task_env.home / "dbfs" / "out" / "r").glob("*.parquet"))
    assert list((task_env.home / "volumes" / "main" / "raw" / "files" / "j").glob("*.json"))
