"""Source notebooks through real task processes: cells, magics, the executed notebook."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from brickyard import secret_store

HEADER = "# Databricks notebook source\n"
SEP = "\n\n# COMMAND ----------\n\n"


def nb(*cells: str) -> str:
    return HEADER + SEP.join(cells) + "\n"


def code_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def stream_text(cell: dict[str, Any], name: str = "stdout") -> str:
    return "".join(
        o["text"] for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == name
    )


def test_cells_share_a_namespace_and_outputs_are_captured(task_env: Any) -> None:
    run = task_env.run_notebook(
        nb(
            "# MAGIC %md\n# MAGIC # Title",
            "# DBTITLE 1,Setup\nimport sys\nx = 21\nprint('hello')\nprint('warn', file=sys.stderr)",
            "print('x is', x * 2)\nprint(__name__)\nx * 2",
            "display([{'a': 1}])\ndisplayHTML('<i>h</i>')",
        ),
        widgets={"date": "2026-11-21"},
    )
    assert run.result["status"] == "SUCCESS", run.result
    notebook = run.notebook
    nbformat.validate(nbformat.from_dict(notebook))
    cells = notebook["cells"]
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"] == "# Title"
    first, second, third = code_cells(notebook)
    assert first["metadata"] == {"title": "Setup", "showTitle": True}
    assert [first["execution_count"], second["execution_count"]] == [1, 2]
    assert stream_text(first) == "hello\n"
    assert stream_text(first, "stderr") == "warn\n"
    assert stream_text(second) == "x is 42\n__main__\n"
    assert second["outputs"][-1]["output_type"] == "execute_result"
    assert second["outputs"][-1]["data"]["text/plain"] == "42"
    displays = [o for o in third["outputs"] if o["output_type"] == "display_data"]
    assert "<table>" in displays[0]["data"]["text/html"]
    assert displays[1]["data"]["text/html"] == "<i>h</i>"
    # Logs get everything too, and the table text only once.
    assert "hello" in run.stdout and "x is 42" in run.stdout and "warn" in run.stderr
    assert run.stdout.count("a\n-\n1") == 1


def test_failing_cell_stops_the_notebook(task_env: Any) -> None:
    run = task_env.run_notebook(
        nb("print('one')", "def f():\n    raise ValueError('boom')\n\nf()", "print('never')"),
        notebook_workspace_path="/ETL/x",
    )
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == "ValueError: boom"
    trace = run.result["error_trace"]
    assert 'File "<notebook /ETL/x cell 2>", line 4, in <module>' in trace
    assert "raise ValueError('boom')" in trace
    assert "brickyard/runtime/" not in trace  # no runtime frames
    cells = code_cells(run.notebook)
    error = cells[1]["outputs"][-1]
    assert error["output_type"] == "error" and error["ename"] == "ValueError"
    assert error["evalue"] == "boom"
    assert cells[2]["execution_count"] is None and cells[2]["outputs"] == []
    assert "never" not in run.stdout


def test_notebook_exit_stops_successfully(task_env: Any) -> None:
    run = task_env.run_notebook(
        nb("dbutils.jobs.taskValues.set('k', [1])", "dbutils.notebook.exit('done')", "print('no')")
    )
    assert run.result["status"] == "SUCCESS"
    assert run.result["exit_value"] == "done"
    assert run.result["task_values"] == {"k": [1]}
    cells = code_cells(run.notebook)
    assert cells[1]["outputs"][-1]["data"]["text/plain"] == "Notebook exited: done"
    assert cells[2]["execution_count"] is None
    assert run.notebook["metadata"]["brickyard"]["exit_value"] == "done"


def test_widgets_in_a_notebook(task_env: Any) -> None:
    run = task_env.run_notebook(
        nb(
            "dbutils.widgets.text('date', '1970-01-01')\n"
            "dbutils.widgets.dropdown('env', 'dev', ['dev', 'prod'])\n"
            "print(dbutils.widgets.get('date'), dbutils.widgets.get('env'), getArgument('only'))",
            "dbutils.widgets.get('undeclared')",
        ),
        widgets={"date": "2026-11-21", "only": "passed"},
    )
    assert "2026-11-21 dev passed" in run.stdout
    assert run.result["status"] == "FAILED"
    assert run.result["error"].startswith(
        "InputWidgetNotDefined: No input widget named undeclared is defined"
    )


def test_sql_cell_without_spark_says_how_to_get_it(task_env: Any) -> None:
    # No "spark" in spec.json: Spark was not installed when the task was planned.
    run = task_env.run_notebook(nb("x = 1", "# MAGIC %sql\n# MAGIC SELECT 1"))
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == (
        "SparkSessionError: this task uses spark, but Spark is not installed where brickyard "
        "runs: install brickyard[spark] (pip install 'brickyard[spark]', with Java 17 or newer)"
    )
    failed = code_cells(run.notebook)[1]["outputs"][-1]
    assert failed["output_type"] == "error" and failed["ename"] == "SparkSessionError"


def test_sql_notebook_runs_its_cells_as_sql(task_env: Any) -> None:
    # A comment-only cell needs no Spark; the first statement does.
    run = task_env.run_notebook(
        "-- Databricks notebook source\n-- only a comment\n\n-- COMMAND ----------\n\nSELECT 1\n",
        name="q.sql",
    )
    assert "install brickyard[spark]" in run.result["error"]
    assert [cell["execution_count"] for cell in code_cells(run.notebook)] == [1, 2]


@pytest.mark.parametrize(("magic", "word"), [("%scala", "%scala"), ("%r", "%r")])
def test_scala_and_r_cells_fail_clearly(task_env: Any, magic: str, word: str) -> None:
    run = task_env.run_notebook(nb(f"# MAGIC {magic}\n# MAGIC 1"))
    assert run.result["error"] == (
        f"CellError: {word} cells are not supported: brickyard runs Python and SQL notebook "
        "cells only (cell 1)"
    )


def test_unknown_magic_fails_clearly(task_env: Any) -> None:
    run = task_env.run_notebook(nb("# MAGIC %conda install x"))
    assert run.result["error"] == (
        "CellError: %conda is not supported in brickyard notebooks (cell 1)"
    )


def test_shell_cells(task_env: Any) -> None:
    run = task_env.run_notebook(
        nb("# MAGIC %sh\n# MAGIC echo out-$((1+1))\n# MAGIC echo err >&2", "# MAGIC %sh exit 3")
    )
    cells = code_cells(run.notebook)
    assert stream_text(cells[0]) == "out-2\nerr\n"
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == "CellError: %sh command exited with code 3 (cell 2)"


def test_fs_cells(task_env: Any) -> None:
    run = task_env.run_notebook(
        nb(
            "# MAGIC %fs put /data/a.txt 'hello fs'",
            "# MAGIC %fs head /data/a.txt",
            "# MAGIC %fs ls /data",
            "# MAGIC %fs cp /data/a.txt /data/b.txt",
            "# MAGIC %fs mkdirs /data/sub",
            "# MAGIC %fs rm -r /data/sub",
            "# MAGIC %fs mv /data/b.txt /data/c.txt",
            "# MAGIC %fs chmod /data",
        )
    )
    cells = code_cells(run.notebook)
    assert "Wrote 8 bytes." in stream_text(cells[0])
    assert stream_text(cells[1]) == "hello fs\n"
    listing = cells[2]["outputs"][0]["data"]["text/plain"]
    assert "dbfs:/data/a.txt" in listing and "modificationTime" in listing
    assert stream_text(cells[3]) == "True\n"
    assert (task_env.home / "dbfs/data/c.txt").read_text() == "hello fs"
    assert not (task_env.home / "dbfs/data/sub").exists()
    assert "%fs chmod is not supported (cell 8)" in run.result["error"]


def test_run_includes_share_the_namespace(task_env: Any, tmp_path: Path) -> None:
    lib = task_env.script(
        "nb1/lib/setup.py",
        nb(
            "# MAGIC %md\n# MAGIC included",
            "dbutils.widgets.text('env', 'default-env')\n"
            "shared_value = 'from setup ' + dbutils.widgets.get('env')\nprint('setup ran')",
        ),
    )
    assert lib.exists()
    run = task_env.run_notebook(
        nb(
            "# MAGIC %run ./lib/setup",
            "print(shared_value)",
            '# MAGIC %run ./lib/setup $env="override"',
            "print(shared_value)",
        )
    )
    assert run.result["status"] == "SUCCESS", run.result
    cells = code_cells(run.notebook)
    assert stream_text(cells[0]) == "setup ran\n"
    assert stream_text(cells[1]) == "from setup default-env\n"
    assert stream_text(cells[3]) == "from setup override\n"


def test_run_from_the_workspace_and_errors_name_the_included_notebook(task_env: Any) -> None:
    workspace = task_env.home / "workspace" / "Shared"
    workspace.mkdir(parents=True)
    (workspace / "util.py").write_text(nb("def helper():\n    raise KeyError('inner')"))
    run = task_env.run_notebook(nb("# MAGIC %run /Shared/util", "helper()"))
    assert run.result["error"] == "KeyError: 'inner'"
    assert '<notebook /Shared/util cell 1>", line 2, in helper' in run.result["error_trace"]


def test_run_missing_notebook_and_cycles(task_env: Any) -> None:
    run = task_env.run_notebook(nb("# MAGIC %run ./nope"))
    assert run.result["status"] == "FAILED"
    assert "notebook './nope' not found" in run.result["error"]
    task_env.script("nb2/a.py", nb("# MAGIC %run ./b"))
    task_env.script("nb2/b.py", nb("# MAGIC %run ./a"))
    cycle = task_env.run(
        task_env.spec("notebook", notebook_file=str(task_env.root / "nb2" / "a.py"))
    )
    assert "%run cycle" in cycle.result["error"]


def test_run_an_ipynb_notebook_inline(task_env: Any) -> None:
    document = nbformat.v4.new_notebook()
    document.cells = [nbformat.v4.new_code_cell("from_ipynb = 5")]
    task_env.script("nb1/helper.ipynb", nbformat.writes(document))
    run = task_env.run_notebook(nb("# MAGIC %run ./helper", "print(from_ipynb)"))
    assert run.result["status"] == "SUCCESS", run.result
    assert "5" in run.stdout


def test_missing_notebook_file_is_resource_not_found(task_env: Any, tmp_path: Path) -> None:
    run = task_env.run(task_env.spec("notebook", notebook_file=str(tmp_path / "none.py")))
    assert run.result["termination_code"] == "RESOURCE_NOT_FOUND"


def test_plain_python_file_runs_as_one_cell(task_env: Any) -> None:
    run = task_env.run_notebook("a = 1\n# COMMAND ----------\nprint('sum', a + 1)\n")
    assert run.result["status"] == "SUCCESS"
    assert len(code_cells(run.notebook)) == 1
    assert "sum 2" in run.stdout


def test_secrets_are_redacted_in_the_executed_notebook(task_env: Any) -> None:
    secret_store.put_secret(task_env.home / "secrets.json", "s", "k", "p@ssw0rd-xyz")
    run = task_env.run_notebook(
        nb(
            "pw = dbutils.secrets.get('s', 'k')\nprint(pw)\ndisplay([{'pw': pw}])\npw",
            "dbutils.notebook.exit(pw)",
        )
    )
    text = (run.task_dir / "notebook.ipynb").read_text()
    assert "p@ssw0rd-xyz" not in text and "[REDACTED]" in text
    assert "p@ssw0rd-xyz" not in run.stdout
    assert run.result["exit_value"] == "[REDACTED]"


def test_secret_in_a_failing_cell_is_redacted(task_env: Any) -> None:
    secret_store.put_secret(task_env.home / "secrets.json", "s", "k", "leaky-value")
    run = task_env.run_notebook(nb("raise RuntimeError(dbutils.secrets.get('s', 'k'))"))
    text = (run.task_dir / "notebook.ipynb").read_text()
    assert "leaky-value" not in text + run.stderr + str(run.result)


def test_pip_install_a_local_wheel_and_reuse_the_cache(
    task_env: Any, tmp_path: Path, build_wheel: Any
) -> None:
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "byard_demo_pkg", "0.1", "GREETING = 'hi from wheel'\n")
    source = nb(
        f"# MAGIC %pip install --no-index --find-links {wheels} byard_demo_pkg",
        "import byard_demo_pkg\nprint(byard_demo_pkg.GREETING)",
        "# MAGIC %sh python -c 'import byard_demo_pkg; print(byard_demo_pkg.GREETING)'",
    )
    run = task_env.run_notebook(source)
    assert run.result["status"] == "SUCCESS", run.result
    assert stream_text(code_cells(run.notebook)[1]) == "hi from wheel\n"
    assert stream_text(code_cells(run.notebook)[2]) == "hi from wheel\n"
    installed = list((task_env.home / "environments" / "pip").iterdir())
    assert len(installed) == 1
    again = task_env.run_notebook(source)
    assert again.result["status"] == "SUCCESS"
    assert "Using the cached %pip environment" in again.stdout
    assert list((task_env.home / "environments" / "pip").iterdir()) == installed


def test_pip_install_failure_is_a_library_installation_error(task_env: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = task_env.run_notebook(
        nb(f"# MAGIC %pip install --no-index --find-links {tmp_path / 'empty'} no_such_pkg_xyz")
    )
    assert run.result["status"] == "FAILED"
    assert run.result["termination_code"] == "LIBRARY_INSTALLATION_ERROR"
    assert run.result["error_code"] == "LibraryInstallationError"
    assert "ERROR:" in run.result["error"] and "no_such_pkg_xyz" in run.result["error"]
    assert not list((task_env.home / "environments" / "pip").iterdir())


def test_pip_only_supports_install(task_env: Any) -> None:
    run = task_env.run_notebook(nb("# MAGIC %pip list"))
    assert run.result["termination_code"] == "LIBRARY_INSTALLATION_ERROR"
    assert "only '%pip install <packages>' is supported" in run.result["error"]


def test_system_exit_in_a_cell(task_env: Any) -> None:
    ok = task_env.run_notebook(nb("import sys\nsys.exit(0)", "print('no')"))
    assert ok.result["status"] == "SUCCESS" and "no" not in ok.stdout
    bad = task_env.run_notebook(nb("import sys\nsys.exit(2)"))
    assert bad.result["error"] == "exited with code 2"


def test_sigterm_during_a_cell_writes_result_and_notebook(task_env: Any) -> None:
    notebook = task_env.script(
        "nb9/slow.py",
        nb("print('cell one')", "import time\nprint('sleeping', flush=True)\ntime.sleep(60)"),
    )
    spec = task_env.spec("notebook", notebook_file=str(notebook))
    process = task_env.start(spec)
    log = spec.parent / "stdout.log"
    deadline = time.monotonic() + 30
    while "sleeping" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    run = task_env.collect(spec, process.wait(timeout=30))
    assert run.result["error"] == "terminated by signal SIGTERM"
    cells = code_cells(run.notebook)
    assert stream_text(cells[1]) == "sleeping\n"
    assert cells[1]["outputs"][-1]["output_type"] == "error"
    assert cells[1]["outputs"][-1]["ename"] == "TaskTerminated"
