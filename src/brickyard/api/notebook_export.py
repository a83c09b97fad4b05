"""``runs/export``: a notebook task run as one self-contained HTML document.

The page is built from the executed notebook the task process left in its folder (nbformat v4
JSON, secrets already redacted by the runtime) and the task run record: the run's state, result,
error and ``dbutils.notebook.exit`` value, then every cell with its source and outputs. It has
no external assets and no JavaScript. Text from the notebook (sources, printed text, tracebacks)
is escaped; HTML the notebook displayed (``displayHTML``, tables, ``_repr_html_``) and markdown
cells are kept as HTML, as a notebook shows them.

A run that is still going is exported as far as it got: a source notebook rewrites its executed
notebook after every code cell, so the page shows the finished cells with their outputs and the
rest without; before the first cell finishes (and for ``.ipynb`` notebooks, which are written
at the end) the page carries the run's state and says that no cell has finished yet.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any, Final

from markdown_it import MarkdownIt

from brickyard import storage
from brickyard.errors import InvalidInputError
from brickyard.executors.notebook import read_executed_notebook
from brickyard.settings import Settings
from brickyard.spec import TaskType
from brickyard.states import TERMINAL_LIFE_CYCLE
from brickyard.views import run_page_url

VIEWS_TO_EXPORT: Final = ("CODE", "DASHBOARDS", "ALL")
"""The ``views_to_export`` values (ViewsToExport)."""

VIEW_TYPE_NOTEBOOK: Final = "NOTEBOOK"

_NOTEBOOK_SUFFIXES: Final = frozenset({".py", ".ipynb", ".sql", ".scala", ".r"})
_ANSI_ESCAPE: Final = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_IMAGE_TYPES: Final = ("image/png", "image/jpeg", "image/gif", "image/webp")
_MAGIC_LANGUAGES: Final = {
    "python": "python",
    "sql": "sql",
    "scala": "scala",
    "r": "r",
    "sh": "shell",
    "bash": "shell",
    "fs": "fs",
    "run": "run",
    "pip": "pip",
    "md": "markdown",
}
# CommonMark plus tables; raw HTML is kept, as Databricks renders it in %md cells.
_MARKDOWN: Final = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

_STYLE: Final = """
body{margin:0;background:#f6f7f9;color:#1d2330;font:15px/1.5 system-ui,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin:0 0 12px;font-size:24px;word-break:break-all}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0 0 16px}
dl.run dt{font-weight:600;color:#5b6475}dl.run dd{margin:0;word-break:break-word}
.notice{padding:10px 14px;border-radius:6px;background:#fff6db;border:1px solid #f0d98c}
.cell{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:14px 0;overflow:hidden}
.cell-head{display:flex;gap:12px;padding:6px 12px;background:#eef1f5;font-size:13px;color:#5b6475}
.cell-head .title{font-weight:600;color:#1d2330}.cell-head .lang{margin-left:auto}
.markdown-body{padding:4px 16px}
pre{margin:0;padding:10px 12px;overflow-x:auto;white-space:pre-wrap;word-break:break-word;
font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.source{background:#fafbfc;border-bottom:1px solid #eef1f5}
.output{border-top:1px solid #f0f2f5}.output:first-child{border-top:0}
.stderr{background:#fff4f4}.error{background:#fdecec;color:#8a1c1c}
.error .ename{margin:0;padding:8px 12px 0;font-weight:600}
.rich{padding:8px 12px;overflow-x:auto}.rich table{border-collapse:collapse}
.rich th,.rich td{border:1px solid #dde1e7;padding:3px 8px;text-align:left}
.rich img{max-width:100%}.not-run{padding:6px 12px;color:#8a93a3;font-style:italic}
"""


def export_notebook_views(
    task_run: storage.TaskRunRecord, *, settings: Settings, views_to_export: str = "CODE"
) -> list[dict[str, Any]]:
    """The ``views`` of ``runs/export`` for a notebook task run: ``[{content, name, type}]``.

    ``CODE`` and ``ALL`` give the notebook as one HTML document; ``DASHBOARDS`` gives no views
    (brickyard notebooks have no dashboards). Raises :class:`InvalidInputError` for another
    ``views_to_export`` value and for a task run that is not a notebook task.
    """
    if views_to_export not in VIEWS_TO_EXPORT:
        raise InvalidInputError(
            f"views_to_export: {views_to_export!r} is not one of {', '.join(VIEWS_TO_EXPORT)}"
        )
    notebook_task = task_run.task.get(TaskType.NOTEBOOK.value)
    if not isinstance(notebook_task, Mapping):
        raise InvalidInputError(
            f"Run {task_run.run_id} is not a notebook task run: "
            "runs/export exports notebook runs only."
        )
    if views_to_export == "DASHBOARDS":
        return []
    notebook_path = str(notebook_task.get("notebook_path") or "")
    name = notebook_name(notebook_path)
    document = read_executed_notebook(task_run.task_dir)
    page = _page(
        task_run,
        name=name,
        notebook_path=notebook_path,
        document=document,
        run_page=run_page_url(settings.base_url, None, task_run.run_id),
    )
    return [{"content": page, "name": name, "type": VIEW_TYPE_NOTEBOOK}]


def notebook_name(notebook_path: str) -> str:
    """The notebook's name as the workspace shows it: the last path part, no file suffix."""
    part = PurePosixPath(notebook_path.rstrip("/")).name or notebook_path or "notebook"
    path = PurePosixPath(part)
    return path.stem if path.suffix.lower() in _NOTEBOOK_SUFFIXES and path.stem else part


# --- the page ---------------------------------------------------------------------------


def _page(
    task_run: storage.TaskRunRecord,
    *,
    name: str,
    notebook_path: str,
    document: Mapping[str, Any] | None,
    run_page: str,
) -> str:
    cells: list[Any] = list(document["cells"]) if document is not None else []
    metadata = _mapping(document.get("metadata")) if document is not None else {}
    language = _notebook_language(metadata)
    shown_cells = "".join(_cell(cell, index, language) for index, cell in enumerate(cells))
    has_cell_error = any(
        _mapping(output).get("output_type") == "error"
        for cell in cells
        for output in _list(_mapping(cell).get("outputs"))
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="brickyard">',
        f"<title>{_esc(name)}</title><style>{_STYLE}</style></head>",
        f"<body><main><header><h1>{_esc(name)}</h1>",
        _summary(task_run, notebook_path, metadata, run_page),
        _notice(task_run, has_document=document is not None),
        "</header>",
    ]
    if task_run.error_trace and not has_cell_error:
        # The failure happened outside any cell (the notebook could not start, the process
        # died): its trace belongs on the page.
        parts.append(
            '<section class="cell"><div class="cell-head"><span class="title">Error</span>'
            f'</div><div class="output error"><pre>{_text(task_run.error_trace)}</pre></div>'
            "</section>"
        )
    parts.append(f'<section class="cells">{shown_cells}</section></main></body></html>\n')
    return "".join(parts)


def _summary(
    task_run: storage.TaskRunRecord,
    notebook_path: str,
    metadata: Mapping[str, Any],
    run_page: str,
) -> str:
    rows: list[tuple[str, str]] = [
        ("Notebook", _esc(notebook_path)),
        ("Task", _esc(task_run.task_key)),
        (
            "Run",
            f'<a href="{_esc(run_page)}">{task_run.run_id}</a> '
            f"(job run {task_run.job_run_id}, attempt {task_run.attempt_number})",
        ),
        ("State", _esc(_state_text(task_run))),
    ]
    if task_run.state_message:
        rows.append(("Message", _esc(task_run.state_message)))
    if task_run.start_time:
        rows.append(("Started", _esc(_time_text(task_run.start_time))))
    if task_run.end_time:
        duration = max(0, task_run.end_time - task_run.start_time) / 1000
        rows.append(("Ended", _esc(f"{_time_text(task_run.end_time)} ({duration:.1f} s)")))
    parameters = _parameters(task_run.resolved_values)
    if parameters:
        rows.append(("Parameters", _esc(", ".join(f"{k}={v}" for k, v in parameters.items()))))
    if task_run.error:
        rows.append(("Error", _esc(task_run.error)))
    brickyard_metadata = _mapping(metadata.get("brickyard"))
    exit_value = task_run.exit_value
    if exit_value is None and isinstance(brickyard_metadata.get("exit_value"), str):
        exit_value = brickyard_metadata["exit_value"]
    if exit_value is not None:
        note = " (truncated to the first 5 MB)" if task_run.exit_value_truncated else ""
        rows.append(("Exit value", f'<pre class="exit-value">{_text(exit_value)}</pre>{note}'))
    body = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="run">{body}</dl>'


def _notice(task_run: storage.TaskRunRecord, *, has_document: bool) -> str:
    state = task_run.life_cycle_state.value
    if task_run.life_cycle_state not in TERMINAL_LIFE_CYCLE:
        text = (
            f"This run is still {state}: the export shows the cells that have finished so far; "
            "cells marked “not run” have not run yet."
            if has_document
            else f"This run is {state}: no cell has finished yet."
        )
    elif not has_document:
        text = "No cell of this notebook ran."
    else:
        return ""
    return f'<p class="notice">{_esc(text)}</p>'


# --- cells and outputs ------------------------------------------------------------------


def _cell(raw: Any, index: int, default_language: str) -> str:
    cell = _mapping(raw)
    cell_id = _esc(str(cell.get("id") or f"cell-{index + 1}"))
    source = _multiline(cell.get("source"))
    kind = cell.get("cell_type")
    if kind == "markdown":
        return (
            f'<section class="cell markdown" id="{cell_id}">'
            f'<div class="markdown-body">{_MARKDOWN.render(source)}</div></section>'
        )
    if kind != "code":
        return (
            f'<section class="cell raw" id="{cell_id}"><pre class="source">{_text(source)}</pre>'
            "</section>"
        )
    language = _cell_language(source, default_language)
    metadata = _mapping(cell.get("metadata"))
    count = cell.get("execution_count")
    head = [f'<span class="count">[{count}]</span>' if isinstance(count, int) else ""]
    title = metadata.get("title")
    if isinstance(title, str) and title and metadata.get("showTitle", True):
        head.append(f'<span class="title">{_esc(title)}</span>')
    head.append(f'<span class="lang">{_esc(language)}</span>')
    outputs = "".join(_output(output) for output in _list(cell.get("outputs")))
    if not isinstance(count, int) and not outputs:
        outputs = '<div class="not-run">not run</div>'
    return (
        f'<section class="cell code" id="{cell_id}"><div class="cell-head">{"".join(head)}</div>'
        f'<pre class="source"><code class="language-{_esc(language)}">{_text(source)}</code></pre>'
        f'<div class="outputs">{outputs}</div></section>'
    )


def _output(raw: Any) -> str:
    output = _mapping(raw)
    kind = output.get("output_type")
    if kind == "stream":
        stream = "stderr" if output.get("name") == "stderr" else "stdout"
        return (
            f'<div class="output {stream}"><pre>{_text(_multiline(output.get("text")))}</pre></div>'
        )
    if kind == "error":
        heading = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        trace = "\n".join(_multiline(line) for line in _list(output.get("traceback")))
        return (
            f'<div class="output error"><p class="ename">{_text(heading)}</p>'
            f"<pre>{_text(trace)}</pre></div>"
        )
    if kind in ("display_data", "execute_result"):
        return f'<div class="output">{_rich(_mapping(output.get("data")))}</div>'
    return ""


def _rich(data: Mapping[str, Any]) -> str:
    """The richest representation of a MIME bundle, as a notebook front end picks it."""
    if "text/html" in data:
        return f'<div class="rich">{_multiline(data["text/html"])}</div>'
    if "image/svg+xml" in data:
        svg = _multiline(data["image/svg+xml"]).encode("utf-8")
        return _image("image/svg+xml", base64.b64encode(svg).decode("ascii"))
    for mime in _IMAGE_TYPES:
        if mime in data:
            # nbformat keeps images base64-encoded, possibly split over lines.
            return _image(mime, "".join(_multiline(data[mime]).split()))
    if "text/markdown" in data:
        return f'<div class="rich">{_MARKDOWN.render(_multiline(data["text/markdown"]))}</div>'
    if "application/json" in data:
        return f"<pre>{_text(json.dumps(data['application/json'], indent=2))}</pre>"
    if "text/plain" in data:
        return f"<pre>{_text(_multiline(data['text/plain']))}</pre>"
    kinds = ", ".join(sorted(str(mime) for mime in data)) or "nothing"
    return f'<div class="not-run">output not shown: {_esc(kinds)}</div>'


def _image(mime: str, payload: str) -> str:
    return f'<div class="rich"><img alt="" src="data:{mime};base64,{_esc(payload)}"></div>'


# --- small helpers ----------------------------------------------------------------------


def _notebook_language(metadata: Mapping[str, Any]) -> str:
    for value in (
        _mapping(metadata.get("brickyard")).get("language"),
        _mapping(metadata.get("kernelspec")).get("language"),
        _mapping(metadata.get("language_info")).get("name"),
    ):
        if isinstance(value, str) and value:
            return value.lower()
    return "python"


def _cell_language(source: str, default: str) -> str:
    """The language a ``%magic`` (or ``%%magic``) first line selects, else the notebook's."""
    first = source.lstrip().partition("\n")[0]
    if not first.startswith("%"):
        return default
    magic = first.lstrip("%").partition(" ")[0].strip().lower()
    return _MAGIC_LANGUAGES.get(magic, magic or default)


def _parameters(resolved_values: Mapping[str, Any] | None) -> dict[str, str]:
    task_values = _mapping((resolved_values or {}).get(TaskType.NOTEBOOK.value))
    return {str(k): str(v) for k, v in _mapping(task_values.get("base_parameters")).items()}


def _state_text(task_run: storage.TaskRunRecord) -> str:
    state = task_run.life_cycle_state.value
    return f"{state} / {task_run.result_state.value}" if task_run.result_state else state


def _time_text(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _multiline(value: Any) -> str:
    """nbformat's multiline strings: a string or a list of strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return "" if value is None else str(value)


def _text(value: str) -> str:
    """Escaped text without terminal colour codes (pip and IPython colour their output)."""
    return _esc(_ANSI_ESCAPE.sub("", value))


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else ()
