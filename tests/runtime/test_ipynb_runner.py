""".ipynb notebooks through real task processes, nbclient and an ipykernel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat

from brickyard import secret_store


def _write(task_env: Any, name: str, cells: list[Any]) -> Path:
    document = nbformat.v4.new_notebook()
    document.cells = cells
    return task_env.script(name, nbformat.writes(document))


def _run(task_env: Any, notebook: Path, **fields: Any) -> Any:
    spec = task_env.spec(
        "notebook", notebook_file=str(notebook), notebook_format="JUPYTER", **fields
    )
    return task_env.run(spec)


def test_ipynb_success_widgets_task_values_display_and_exit(task_env: Any, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "kernel_lib_mod.py").write_text("WHERE = 'on sys_path'\n")
    secret_store.put_secret(task_env.home / "secrets.json", "s", "k", "kernel-secret-1")
    notebook = _write(
        task_env,
        "nb/job.ipynb",
        [
            nbformat.v4.new_markdown_cell("# Job"),
            nbformat.v4.new_code_cell(
                "import os, kernel_lib_mod\n"
                "dbutils.widgets.text('date', '1970-01-01')\n"
                "print('date', dbutils.widgets.get('date'), getArgument('env', 'none'))\n"
                "print('lib', kernel_lib_mod.WHERE, 'cwd', os.getcwd())\n"
                "dbutils.jobs.taskValues.set('rows', 12)\n"
                "print('upstream', dbutils.jobs.taskValues.get('ingest', 'n'))"
            ),
            nbformat.v4.new_code_cell(
                "pw = dbutils.secrets.get('s', 'k')\nprint('pw', pw)\ndisplay([{'a': 1}])\n21 * 2"
            ),
            nbformat.v4.new_code_cell("dbutils.notebook.exit('finished')"),
            nbformat.v4.new_code_cell("print('never')"),
        ],
    )
    run = _run(
        task_env,
        notebook,
        widgets={"date": "2026-11-21"},
        sys_path=[str(site)],
        task_values={"ingest": {"n": 5}},
    )
    assert run.result["status"] == "SUCCESS", run.result
    assert run.result["exit_value"] == "finished"
    assert run.result["task_values"] == {"rows": 12}
    executed = run.notebook
    nbformat.validate(nbformat.from_dict(executed))
    cells = executed["cells"]
    assert len(cells) == 5  # the hidden setup step is not saved
    assert "brickyard" not in json.dumps(cells[1]["source"])
    first = "".join(o.get("text", "") for o in cells[1]["outputs"])
    assert "date 2026-11-21 none" in first
    assert f"lib on sys_path cwd {task_env.root}" in first
    assert "upstream 5" in first
    second = cells[2]["outputs"]
    assert second[0]["text"] == "pw [REDACTED]\n"
    assert "<table>" in second[1]["data"]["text/html"]
    assert second[2]["data"]["text/plain"] == "42"
    assert cells[3]["outputs"][-1]["data"]["text/plain"] == "Notebook exited: finished"
    assert cells[4]["execution_count"] is None and cells[4]["outputs"] == []
    text = (run.task_dir / "notebook.ipynb").read_text()
    assert "kernel-secret-1" not in text + run.stdout + run.stderr
    assert "date 2026-11-21" in run.stdout  # cell output is echoed to the task log
    assert "never" not in run.stdout


def test_ipynb_failure_stops_with_the_error(task_env: Any) -> None:
    notebook = _write(
        task_env,
        "nb/fail.ipynb",
        [
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("def f():\n    raise ValueError('kernel boom')\nf()"),
            nbformat.v4.new_code_cell("print('never')"),
            nbformat.v4.new_code_cell("dbutils.widgets.get('nope')"),
        ],
    )
    run = _run(task_env, notebook)
    assert run.returncode == 1
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == "ValueError: kernel boom"
    assert run.result["termination_code"] == "RUN_EXECUTION_ERROR"
    trace = run.result["error_trace"]
    assert "raise ValueError('kernel boom')" in trace and "\x1b[" not in trace
    # The failing cell by its execution number (as the executed notebook shows it) with its
    # source lines; no brickyard, IPython or ipykernel frames and no kernel temporary files.
    assert trace.splitlines() == [
        "Traceback (most recent call last):",
        "  Cell In[2], line 3, in <module>",
        "    f()",
        "  Cell In[2], line 2, in f",
        "    raise ValueError('kernel boom')",
        "ValueError: kernel boom",
    ]
    assert "brickyard/runtime/" not in trace and "ipykernel_" not in trace
    # The task's stderr is that trace, without kernel noise (no shutdown warnings).
    assert run.stderr.strip() == trace
    cells = run.notebook["cells"]
    assert cells[1]["execution_count"] == 2
    assert cells[1]["outputs"][-1]["output_type"] == "error"
    assert cells[2]["execution_count"] is None


def test_ipynb_databricks_magics(task_env: Any, tmp_path: Path, build_wheel: Any) -> None:
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "byard_kernel_pkg", "0.2", "GREETING = 'kernel wheel'\n")
    notebook = _write(
        task_env,
        "nb/magics.ipynb",
        [
            nbformat.v4.new_code_cell("%python\nx = 40"),
            nbformat.v4.new_code_cell("%sh\necho from-sh-$((x))\necho second"),
            nbformat.v4.new_code_cell(
                f"%pip install --no-index --find-links {wheels} byard_kernel_pkg"
            ),
            nbformat.v4.new_code_cell("import byard_kernel_pkg\nprint(byard_kernel_pkg.GREETING)"),
            nbformat.v4.new_code_cell("%md\n# not run"),
            nbformat.v4.new_code_cell("%fs put /k.txt 'kernel fs'"),
            nbformat.v4.new_code_cell("%sql\nSELECT 1"),
        ],
    )
    run = _run(task_env, notebook)
    cells = run.notebook["cells"]
    texts = ["".join(o.get("text", "") for o in cell["outputs"]) for cell in cells]
    assert "from-sh-0\nsecond\n" in texts[1]
    assert texts[3] == "kernel wheel\n"
    assert (task_env.home / "dbfs" / "k.txt").read_text() == "kernel fs"
    assert run.result["status"] == "FAILED"
    # No "spark" in spec.json (Spark was not installed when the task was planned): %sql says so.
    assert run.result["error"].startswith("SparkSessionError: this task uses spark, but Spark")
    assert list((task_env.home / "environments" / "pip").iterdir())


def test_ipynb_pip_failure_is_a_library_installation_error(task_env: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    notebook = _write(
        task_env,
        "nb/pipfail.ipynb",
        [
            nbformat.v4.new_code_cell(
                f"%pip install --no-index --find-links {tmp_path / 'empty'} no_such_pkg_abc"
            )
        ],
    )
    run = _run(task_env, notebook)
    assert run.result["termination_code"] == "LIBRARY_INSTALLATION_ERROR"
    assert "no_such_pkg_abc" in run.result["error"]
