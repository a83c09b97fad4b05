"""Read what a notebook task attempt left in its folder: the executed notebook.

The task process writes ``notebook.ipynb`` (nbformat v4 JSON, secrets already redacted) into
the attempt's ``task_dir``: a source notebook after each code cell and at the end, an
``.ipynb`` at the end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from brickyard.errors import BrickyardError
from brickyard.task_protocol import TaskFiles


def read_executed_notebook(task_dir: str | Path | None) -> dict[str, Any] | None:
    """The executed notebook of the attempt in ``task_dir``; None when it has none yet (not
    started, no cell finished, or the process died before writing it).

    Raises :class:`~brickyard.errors.BrickyardError` (an internal error) when the file exists
    but is not a notebook: it is written atomically, so that means it was damaged.
    """
    if task_dir is None:
        return None
    path = TaskFiles.of(Path(task_dir)).output_notebook
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BrickyardError(f"{path}: cannot read the executed notebook: {exc}") from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise BrickyardError(f"{path}: the executed notebook is not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise BrickyardError(f"{path}: the executed notebook has no 'cells' list")
    return document
