"""runs/export's HTML: real notebook jobs through the real engine, then export_notebook_views."""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest

from brickyard import secret_store, storage
from brickyard.api.notebook_export import export_notebook_views, notebook_name
from brickyard.app import Services, build_services
from brickyard.engine import RunRequest
from brickyard.errors import InvalidInputError
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings
from brickyard.states import LifeCycleState, ResultState

# A 1x1 PNG.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg=="
)

SOURCE_NOTEBOOK = """\
# Databricks notebook source
# MAGIC %md
# MAGIC # Daily *load*

# COMMAND ----------

# DBTITLE 1,Greet
print("<script>alert(1)</script>")
print("date is", dbutils.widgets.get("date"))
print("pw", dbutils.secrets.get("s", "k"))

# COMMAND ----------

display([{"city": "Paris", "note": "<x>"}])
displayHTML("<b>bold words</b>")
6 * 7

# COMMAND ----------

def explode():
    raise ValueError("boom <tag>")

explode()

# COMMAND ----------

print("after the failure")
"""

WAITING_NOTEBOOK = """\
# Databricks notebook source
print("first cell done")

# COMMAND ----------

import pathlib, time
while not pathlib.Path({release!r}).exists():
    time.sleep(0.05)
print("second cell done")

# COMMAND ----------

print("third cell done")
"""


class Jobs:
    """A brickyard home and job folder; runs jobs through the real engine."""

    def __init__(self, root: Path) -> None:
        self.job_dir = root / "job"
        self.job_dir.mkdir()
        self.settings = replace(
            Settings.from_env({"BRICKYARD_HOME": str(root / "home")}),
            base_url="http://brickyard.test",
        )
        self.services: Services = build_services(self.settings)

    def write(self, name: str, text: str) -> None:
        (self.job_dir / name).write_text(text, encoding="utf-8")

    def submit(self, tasks: list[dict[str, Any]]) -> int:
        run = self.services.engine.submit(
            RunRequest(
                settings=parse_job_settings({"name": "export", "tasks": tasks}),
                job_id=None,
                base_dir=self.job_dir,
            )
        )
        return run.run_id

    def run(self, tasks: list[dict[str, Any]]) -> list[storage.TaskRunRecord]:
        run_id = self.submit(tasks)
        self.services.engine.wait_for(run_id)
        return self.task_runs(run_id)

    def task_runs(self, run_id: int) -> list[storage.TaskRunRecord]:
        with self.services.database.read() as conn:
            return storage.list_task_runs(conn, run_id)


@pytest.fixture
def jobs(tmp_path: Path) -> Iterator[Jobs]:
    made = Jobs(tmp_path)
    yield made
    made.services.close()


def notebook_task(path: str, **parameters: str) -> dict[str, Any]:
    task: dict[str, Any] = {"notebook_path": path}
    if parameters:
        task["base_parameters"] = parameters
    return {"task_key": "nb", "notebook_task": task}


def single_view(views: list[dict[str, Any]]) -> str:
    assert len(views) == 1
    assert set(views[0]) == {"content", "name", "type"}
    assert views[0]["type"] == "NOTEBOOK"
    content = views[0]["content"]
    assert isinstance(content, str)
    assert_balanced(content)
    return content


class _TagBalance(HTMLParser):
    """Checks that every element closes, in order (the page must be a well-formed document)."""

    VOID = frozenset({"meta", "img", "br", "hr", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def assert_balanced(content: str) -> None:
    parser = _TagBalance()
    parser.feed(content)
    parser.close()
    assert parser.problems == [] and parser.stack == []
    # Self-contained: no scripts, no external resources.
    assert "script" not in parser.tags and "link" not in parser.tags


def test_source_notebook_export_has_sources_outputs_errors_and_tables(jobs: Jobs) -> None:
    secret_store.put_secret(jobs.settings.secrets_file, "s", "k", "hunter2-secret")
    jobs.write("daily_load.py", SOURCE_NOTEBOOK)

    [task_run] = jobs.run([notebook_task("daily_load", date="2026-11-21")])

    assert task_run.result_state is ResultState.FAILED
    content = single_view(export_notebook_views(task_run, settings=jobs.settings))
    # The run: name, state, error, parameters, a link to the run page.
    assert "<title>daily_load</title>" in content
    assert "TERMINATED / FAILED" in content
    assert "ValueError: boom &lt;tag&gt;" in content
    assert "date=2026-11-21" in content
    assert f'href="http://brickyard.test/#run/{task_run.run_id}"' in content
    # Markdown is rendered; the cell title and language are shown.
    assert "<h1>Daily <em>load</em></h1>" in content
    assert '<span class="title">Greet</span>' in content
    assert '<code class="language-python">' in content
    # Cell sources, escaped.
    assert "print(&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;)" in content
    assert "def explode():" in content
    # Printed text is escaped, never live markup; secrets stay redacted.
    assert (
        "<pre>&lt;script&gt;alert(1)&lt;/script&gt;\ndate is 2026-11-21\npw [REDACTED]\n" in content
    )
    assert "<script>" not in content and "hunter2-secret" not in content
    # display() of rows is a table, displayHTML is HTML, the last expression its value.
    assert "<th>city</th><th>note</th>" in content and "<td>&lt;x&gt;</td>" in content
    assert '<div class="rich"><b>bold words</b></div>' in content
    assert "<pre>42</pre>" in content
    # The failing cell carries its traceback, and the cell after it did not run.
    assert '<p class="ename">ValueError: boom &lt;tag&gt;</p>' in content
    assert "Traceback (most recent call last)" in content
    assert "in explode\n    raise ValueError(&quot;boom &lt;tag&gt;&quot;)" in content
    assert content.count('<div class="not-run">not run</div>') == 1
    assert "print(&quot;after the failure&quot;)</code>" in content
    assert "after the failure\n" not in content


def test_ipynb_export_has_images_markdown_and_the_exit_value(jobs: Jobs) -> None:
    document = nbformat.v4.new_notebook()
    document.cells = [
        nbformat.v4.new_markdown_cell("## Report\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        nbformat.v4.new_code_cell(
            "from IPython.display import Image, display as show\n"
            f"show(Image(data=__import__('base64').b64decode({PNG!r})))\n"
            "print('<i>not markup</i>')"
        ),
        nbformat.v4.new_code_cell("%%bash\necho from bash"),
        nbformat.v4.new_code_cell("dbutils.notebook.exit('all <done>')"),
        nbformat.v4.new_code_cell("print('never')"),
    ]
    jobs.write("report.ipynb", nbformat.writes(document))

    [task_run] = jobs.run([notebook_task("report.ipynb")])

    assert task_run.result_state is ResultState.SUCCESS, task_run.error
    views = export_notebook_views(task_run, settings=jobs.settings, views_to_export="ALL")
    assert views[0]["name"] == "report"
    content = single_view(views)
    assert "TERMINATED / SUCCESS" in content
    assert "<h2>Report</h2>" in content and "<th>a</th>" in content
    assert f'<img alt="" src="data:image/png;base64,{PNG}">' in content
    assert "&lt;i&gt;not markup&lt;/i&gt;" in content
    assert '<span class="lang">shell</span>' in content and "from bash\n" in content
    assert '<pre class="exit-value">all &lt;done&gt;</pre>' in content
    assert "Notebook exited: all &lt;done&gt;" in content
    assert content.count('<div class="not-run">not run</div>') == 1


def test_a_running_notebook_exports_the_cells_finished_so_far(jobs: Jobs, tmp_path: Path) -> None:
    release = tmp_path / "release"
    jobs.write("waiting.py", WAITING_NOTEBOOK.format(release=str(release)))
    jobs.services.start_engine()
    run_id = jobs.submit([notebook_task("waiting")])
    try:
        task_run = _wait_for(jobs, run_id, lambda tr: _exported(jobs, tr, "first cell done\n"))
        content = single_view(export_notebook_views(task_run, settings=jobs.settings))
    finally:
        release.touch()  # never leave the task process waiting behind a failed test
    assert task_run.life_cycle_state is LifeCycleState.RUNNING
    assert "This run is still RUNNING" in content
    assert "first cell done\n" in content
    assert "second cell done\n" not in content
    assert content.count('<div class="not-run">not run</div>') == 2

    task_run = _wait_for(jobs, run_id, lambda tr: tr.life_cycle_state is LifeCycleState.TERMINATED)
    content = single_view(export_notebook_views(task_run, settings=jobs.settings))
    assert task_run.result_state is ResultState.SUCCESS
    assert "still RUNNING" not in content and "not run" not in content
    assert "second cell done\n" in content and "third cell done\n" in content


def test_a_notebook_that_never_ran_exports_its_state_and_error(jobs: Jobs) -> None:
    [task_run] = jobs.run([notebook_task("missing/notebook")])

    assert task_run.result_state is ResultState.FAILED
    views = export_notebook_views(task_run, settings=jobs.settings)
    assert views[0]["name"] == "notebook"
    content = single_view(views)
    assert "No cell of this notebook ran." in content
    assert "missing/notebook" in content
    assert task_run.error is not None and _escaped(task_run.error) in content


def test_dashboards_are_empty_and_other_views_are_refused(jobs: Jobs) -> None:
    jobs.write("tiny.py", "# Databricks notebook source\nprint('hi')\n")
    [task_run] = jobs.run([notebook_task("tiny")])

    assert (
        export_notebook_views(task_run, settings=jobs.settings, views_to_export="DASHBOARDS") == []
    )
    code = export_notebook_views(task_run, settings=jobs.settings, views_to_export="CODE")
    assert export_notebook_views(task_run, settings=jobs.settings, views_to_export="ALL") == code
    with pytest.raises(InvalidInputError, match="views_to_export: 'SOURCE' is not one of"):
        export_notebook_views(task_run, settings=jobs.settings, views_to_export="SOURCE")


def test_other_task_types_are_refused(jobs: Jobs) -> None:
    jobs.write("script.py", "print('a script')\n")
    [task_run] = jobs.run([{"task_key": "py", "spark_python_task": {"python_file": "script.py"}}])

    message = (
        f"Run {task_run.run_id} is not a notebook task run: runs/export exports notebook runs only."
    )
    for views in ("CODE", "DASHBOARDS"):
        with pytest.raises(InvalidInputError) as caught:
            export_notebook_views(task_run, settings=jobs.settings, views_to_export=views)
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/Workspace/Users/a@b.c/ETL/ingest", "ingest"),
        ("notebooks/hello.py", "hello"),
        ("report.ipynb", "report"),
        ("./data.v2", "data.v2"),
        ("/Shared/folder/", "folder"),
    ],
)
def test_notebook_name(path: str, name: str) -> None:
    assert notebook_name(path) == name


def _escaped(text: str) -> str:
    return html.escape(text, quote=True)


def _exported(jobs: Jobs, task_run: storage.TaskRunRecord, text: str) -> bool:
    content = export_notebook_views(task_run, settings=jobs.settings)[0]["content"]
    return isinstance(content, str) and text in content


def _wait_for(
    jobs: Jobs,
    run_id: int,
    ready: Callable[[storage.TaskRunRecord], bool],
    timeout: float = 60.0,
) -> storage.TaskRunRecord:
    deadline = time.monotonic() + timeout
    while True:
        task_runs = jobs.task_runs(run_id)
        if task_runs and ready(task_runs[-1]):
            return task_runs[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} did not get there: {task_runs}")
        time.sleep(0.05)
