"""The executed notebook, written as nbformat v4 JSON (no nbformat import on this path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brickyard.runtime.redaction import Redactor
from brickyard.task_protocol import write_json_atomic
from brickyard.workspace.notebook_source import CellKind, NotebookCell

Output = dict[str, Any]


class CellOutputs:
    """The outputs of one cell, in the order they happened."""

    def __init__(self) -> None:
        self.items: list[Output] = []

    def stream(self, name: str, text: str) -> None:
        """Append stdout/stderr text (merged into the previous chunk of the same stream)."""
        if not text:
            return
        last = self.items[-1] if self.items else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.items.append({"output_type": "stream", "name": name, "text": text})

    def stdout(self, text: str) -> None:
        """Listener for the stdout writer."""
        self.stream("stdout", text)

    def stderr(self, text: str) -> None:
        """Listener for the stderr writer."""
        self.stream("stderr", text)

    def display(self, bundle: dict[str, str]) -> None:
        """Append a ``display_data`` output."""
        self.items.append({"output_type": "display_data", "data": dict(bundle), "metadata": {}})

    def result(self, bundle: dict[str, str], execution_count: int) -> None:
        """Append the value of the cell's last expression."""
        self.items.append(
            {
                "output_type": "execute_result",
                "data": dict(bundle),
                "metadata": {},
                "execution_count": execution_count,
            }
        )

    def error(self, ename: str, evalue: str, traceback_text: str) -> None:
        """Append an ``error`` output."""
        self.items.append(
            {
                "output_type": "error",
                "ename": ename,
                "evalue": evalue,
                "traceback": traceback_text.splitlines(),
            }
        )


class NotebookDocument:
    """Cells of the executed notebook, built as the runner goes."""

    def __init__(self, name: str, language: str) -> None:
        self.name = name
        self.language = language
        self.cells: list[dict[str, Any]] = []
        self.metadata: dict[str, Any] = {}

    def add_cell(
        self,
        cell: NotebookCell,
        execution_count: int | None = None,
        outputs: CellOutputs | None = None,
    ) -> None:
        """Add a cell: markdown cells as markdown, every other cell as a code cell."""
        metadata: dict[str, Any] = {}
        if cell.title is not None:
            metadata["title"] = cell.title
            metadata["showTitle"] = cell.show_title
        cell_id = f"cell-{len(self.cells) + 1}"
        if cell.kind is CellKind.MARKDOWN:
            self.cells.append(
                {"cell_type": "markdown", "id": cell_id, "metadata": metadata, "source": cell.body}
            )
            return
        self.cells.append(
            {
                "cell_type": "code",
                "id": cell_id,
                "metadata": metadata,
                "execution_count": execution_count,
                "outputs": list(outputs.items) if outputs is not None else [],
                "source": cell.source,
            }
        )

    def to_json(self) -> dict[str, Any]:
        """The nbformat v4.5 document."""
        return {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
                "brickyard": {"notebook": self.name, "language": self.language, **self.metadata},
            },
            "cells": self.cells,
        }

    def write(self, path: Path, redactor: Redactor) -> None:
        """Write the document atomically with every secret redacted."""
        write_json_atomic(path, redactor.redact_json(self.to_json()))
