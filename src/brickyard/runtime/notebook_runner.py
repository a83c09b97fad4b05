"""Run a Databricks source notebook in this process, cell by cell, in one namespace.

Each cell's stdout/stderr (still written live to the logs) and display outputs are captured
into the executed notebook, written as nbformat v4 JSON to ``output_notebook``: after every code
cell that more code follows (so that ``runs/export`` of a running task shows its progress) and
once more at the end.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import linecache
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from brickyard.errors import InvalidInputError
from brickyard.runtime import magics, pip_install
from brickyard.runtime.context import TaskContext
from brickyard.runtime.dbutils import DBUtils
from brickyard.runtime.display import Display, render_result
from brickyard.runtime.exceptions import CellError, NotebookExit
from brickyard.runtime.notebook_document import CellOutputs, NotebookDocument
from brickyard.runtime.redaction import RedactingWriter
from brickyard.runtime.spark.proxy import SparkNames
from brickyard.runtime.spark.session import TaskSpark
from brickyard.runtime.tracebacks import error_summary, error_trace
from brickyard.workspace import NotebookFormat, Workspace, detect_notebook
from brickyard.workspace.notebook_source import (
    CellKind,
    NotebookCell,
    ParsedNotebook,
    language_for_file,
    parse_ipynb_notebook,
    parse_run_command,
    parse_source_notebook,
)

MAX_RUN_DEPTH = 32
"""How deep ``%run`` may nest (a guard against runaway includes)."""

UNSUPPORTED_LANGUAGE = (
    "%{language} cells are not supported: brickyard runs Python and SQL notebook cells only "
    "(cell {n})"
)

Checkpoint = Callable[[tuple[NotebookCell, ...]], None]
"""Writes the executed notebook so far; the argument is the cells that have not run yet."""


@dataclass(frozen=True)
class NotebookStreams:
    """The task's redacting stdout and stderr writers."""

    stdout: RedactingWriter
    stderr: RedactingWriter


def read_notebook(file: Path) -> ParsedNotebook:
    """Parse a source notebook (or, for ``%run``, an ``.ipynb``) file into cells."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"{file}: cannot read the notebook: {exc}") from exc
    detected = detect_notebook(file)
    if detected is not None and detected[1] is NotebookFormat.JUPYTER:
        return parse_ipynb_notebook(text, str(file))
    language = detected[0].value if detected is not None else language_for_file(file)
    return parse_source_notebook(text, language)


class SourceNotebookRunner:
    """Runs the cells of one notebook (and the notebooks it ``%run``s) in one namespace."""

    def __init__(
        self,
        context: TaskContext,
        dbutils: DBUtils,
        display: Display,
        streams: NotebookStreams,
        spark: SparkNames | None = None,
    ) -> None:
        self._context = context
        self._dbutils = dbutils
        self._display = display
        self._streams = streams
        self._spark = spark if spark is not None else SparkNames(TaskSpark(None))
        self._execution_count = 0
        self.namespace: dict[str, Any] = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "dbutils": dbutils,
            "display": display.display,
            "displayHTML": display.displayHTML,
            "getArgument": dbutils.widgets.getArgument,
        }
        self._spark.install(self.namespace)

    def run(self, file: Path, name: str, output_notebook: Path | None) -> str | None:
        """Run every cell; return the ``dbutils.notebook.exit`` value (None if not called).

        A failing cell stops the notebook and its exception propagates after the executed
        notebook is written.
        """
        parsed = read_notebook(file)
        document = NotebookDocument(name, parsed.language)
        self._context.log_writer = self._streams.stdout.write_uncaptured
        checkpoint: Checkpoint | None = None
        if output_notebook is not None:
            checkpoint = partial(self._write_checkpoint, document, path=output_notebook)
        try:
            with self._context.running_notebook(file):
                return self._run_cells(parsed.cells, name, document, checkpoint)
        finally:
            document.metadata["widgets"] = {
                key: widget.default for key, widget in self._dbutils.widgets.declared().items()
            }
            if output_notebook is not None:
                document.write(output_notebook, self._context.redactor)

    def _run_cells(
        self,
        cells: tuple[NotebookCell, ...],
        name: str,
        document: NotebookDocument,
        checkpoint: Checkpoint | None = None,
    ) -> str | None:
        for position, cell in enumerate(cells):
            if cell.kind is CellKind.MARKDOWN:
                document.add_cell(cell)
                continue
            self._execution_count += 1
            count = self._execution_count
            outputs = CellOutputs()
            try:
                with self._capture(outputs):
                    self._run_cell(cell, name, outputs, count)
            except NotebookExit as stop:
                outputs.display({"text/plain": f"Notebook exited: {stop.value}"})
                document.add_cell(cell, count, outputs)
                document.metadata["exit_value"] = stop.value
                self._add_not_run(cells[position + 1 :], document)
                return stop.value
            except SystemExit as stop:
                if stop.code in (None, 0):
                    document.add_cell(cell, count, outputs)
                    self._add_not_run(cells[position + 1 :], document)
                    return None
                self._record_error(stop, outputs)
                document.add_cell(cell, count, outputs)
                self._add_not_run(cells[position + 1 :], document)
                raise
            except BaseException as exc:
                self._record_error(exc, outputs)
                document.add_cell(cell, count, outputs)
                self._add_not_run(cells[position + 1 :], document)
                raise
            document.add_cell(cell, count, outputs)
            pending = cells[position + 1 :]
            # After the last code cell the final write follows at once: no checkpoint then.
            if checkpoint is not None and any(c.kind is not CellKind.MARKDOWN for c in pending):
                checkpoint(pending)
        return None

    def _write_checkpoint(
        self, document: NotebookDocument, pending: tuple[NotebookCell, ...], path: Path
    ) -> None:
        """Write the cells run so far and, without outputs, the cells still to run."""
        snapshot = NotebookDocument(document.name, document.language)
        snapshot.cells = list(document.cells)
        snapshot.metadata = dict(document.metadata)
        self._add_not_run(pending, snapshot)
        # A progress snapshot must never fail the user's notebook (a full disk fails the
        # final write, which reports it); the next checkpoint or the final write replaces it.
        with contextlib.suppress(OSError):
            snapshot.write(path, self._context.redactor)

    @staticmethod
    def _add_not_run(cells: tuple[NotebookCell, ...], document: NotebookDocument) -> None:
        for cell in cells:
            document.add_cell(cell)

    def _record_error(self, exc: BaseException, outputs: CellOutputs) -> None:
        summary = error_summary(exc)
        ename, _, evalue = summary.partition(": ")
        outputs.error(ename, evalue, error_trace(exc))

    @contextmanager
    def _capture(self, outputs: CellOutputs) -> Iterator[None]:
        stdout, stderr = self._streams.stdout, self._streams.stderr
        stdout.add_listener(outputs.stdout)
        stderr.add_listener(outputs.stderr)
        previous_sink = self._context.display_sink
        self._context.display_sink = outputs.display
        try:
            yield
        finally:
            self._context.display_sink = previous_sink
            stdout.remove_listener(outputs.stdout)
            stderr.remove_listener(outputs.stderr)

    def _run_cell(self, cell: NotebookCell, name: str, outputs: CellOutputs, count: int) -> None:
        n = cell.number
        if cell.kind is CellKind.PYTHON:
            self._run_python(cell.body, f"<notebook {name} cell {n}>", outputs, count)
        elif cell.kind is CellKind.SQL:
            # Only notebooks with SQL cells pay for importing their runner.
            from brickyard.runtime.spark.sql_cells import run_sql_cell

            run_sql_cell(
                cell.body,
                session=self._spark.task_spark.session,
                widgets=self._dbutils.widgets,
                display=self._display.display,
                namespace=self.namespace,
                cell_number=n,
            )
        elif cell.kind in (CellKind.SCALA, CellKind.R):
            raise CellError(UNSUPPORTED_LANGUAGE.format(language=cell.kind.value, n=n))
        elif cell.kind is CellKind.SHELL:
            magics.run_shell(cell.body, Path.cwd(), self._streams.stdout.write, n)
        elif cell.kind is CellKind.FS:
            magics.run_fs(cell.body, self._dbutils.fs, self._display.display, n)
        elif cell.kind is CellKind.PIP:
            pip_install.pip_magic(
                cell.body,
                self._context.paths.pip_cache_root,
                Path.cwd(),
                self._streams.stdout.write,
            )
        elif cell.kind is CellKind.RUN:
            self._run_include(cell, outputs)
        else:
            raise CellError(f"{cell.magic} is not supported in brickyard notebooks (cell {n})")

    def _run_python(self, code: str, filename: str, outputs: CellOutputs, count: int) -> None:
        # Tracebacks show the cell's lines: linecache serves them for the fake file name.
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        module = ast.parse(code, filename=filename, mode="exec")
        last_expression: ast.Expression | None = None
        if module.body and isinstance(module.body[-1], ast.Expr):
            last = module.body.pop()
            assert isinstance(last, ast.Expr)
            last_expression = ast.Expression(last.value)
        exec(compile(module, filename, "exec", dont_inherit=True), self.namespace)
        if last_expression is None:
            return
        value = eval(compile(last_expression, filename, "eval", dont_inherit=True), self.namespace)
        if value is not None:
            bundle = self._context.redactor.redact_json(render_result(value))
            outputs.result(bundle, count)
            self._streams.stdout.write_uncaptured(bundle["text/plain"] + "\n")

    def _run_include(self, cell: NotebookCell, outputs: CellOutputs) -> None:
        command = parse_run_command(cell.body, cell.number)
        current = self._context.current_notebook_file
        base_dir = current.parent if current is not None else Path.cwd()
        resolved = Workspace(self._context.paths.workspace_root).resolve_notebook(
            command.path, base_dir=base_dir
        )
        stack = self._context.notebook_stack
        if resolved.file.resolve() in {path.resolve() for path in stack}:
            chain = " -> ".join(str(path) for path in [*stack, resolved.file])
            raise CellError(f"%run cycle in cell {cell.number}: {chain}")
        if len(stack) >= MAX_RUN_DEPTH:
            raise CellError(
                f"%run nests deeper than {MAX_RUN_DEPTH} notebooks (cell {cell.number})"
            )
        parsed = read_notebook(resolved.file)
        name = resolved.workspace_path or str(resolved.file)
        with (
            self._context.running_notebook(resolved.file),
            self._dbutils.widgets.arguments(command.arguments),
        ):
            for included in parsed.cells:
                if included.kind is not CellKind.MARKDOWN:
                    self._run_cell(included, name, outputs, self._execution_count)
