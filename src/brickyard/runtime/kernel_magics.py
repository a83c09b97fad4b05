"""Databricks cell magics inside the Jupyter kernel of ``.ipynb`` tasks.

Databricks notebooks exported as ``.ipynb`` start magic cells with a single ``%sh`` / ``%sql``
/ ``%pip`` line. An input transformer turns such a cell into the ``%%brickyard_cell`` cell
magic, which runs it the way the source-notebook runner does: ``%pip`` installs into the
brickyard cache (never into the interpreter's own environment), ``%sh`` and ``%fs`` run,
``%python`` is plain Python, ``%md`` shows nothing, ``%sql`` runs on the task's Spark session
(the result displayed and bound to ``_sqldf`` in the kernel's namespace), ``%scala``/``%r``
fail clearly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from brickyard.runtime import magics, pip_install
from brickyard.runtime.context import TaskContext
from brickyard.runtime.dbutils import DBUtils
from brickyard.runtime.display import Display
from brickyard.runtime.exceptions import CellError
from brickyard.runtime.notebook_runner import UNSUPPORTED_LANGUAGE
from brickyard.runtime.spark.session import TaskSpark
from brickyard.runtime.spark.sql_cells import run_sql_cell
from brickyard.workspace.notebook_source import CellKind, classify_cell

CELL_MAGIC = "brickyard_cell"
_HANDLED = ("%sh", "%sql", "%scala", "%r", "%md", "%md-sandbox", "%fs", "%pip", "%run")


def rewrite_magic_cell(lines: list[str]) -> list[str]:
    """Input transformer: a cell whose first line is a Databricks magic becomes a cell magic."""
    first = lines[0].strip() if lines else ""
    if first == "%python":
        return lines[1:]
    if first.split(" ", 1)[0] not in _HANDLED:
        return lines
    if not "".join(lines[1:]).strip():
        # IPython rejects a cell magic without a body: one-line cells use the line magic.
        return [f"%{CELL_MAGIC} {first}\n"]
    return [f"%%{CELL_MAGIC} {first}\n", *lines[1:]]


class KernelCellMagic:
    """The ``%%brickyard_cell`` cell magic, bound to the kernel's task context."""

    def __init__(
        self,
        shell: Any,
        context: TaskContext,
        dbutils: DBUtils,
        display: Display,
        spark: TaskSpark,
    ) -> None:
        self._shell = shell
        self._context = context
        self._dbutils = dbutils
        self._display = display
        self._spark = spark

    def __call__(self, line: str, cell: str) -> None:
        """Run one magic cell (``line`` is the original first line)."""
        # IPython counts the running cell before running it: the number shown beside this cell
        # in the executed notebook is one less.
        number = max(int(getattr(self._shell, "execution_count", 0) or 0) - 1, 1)
        parsed = classify_cell([line, *cell.splitlines()], CellKind.PYTHON, number)
        kind = parsed.kind
        write = sys.stdout.write
        if kind is CellKind.MARKDOWN:
            return
        if kind is CellKind.SHELL:
            magics.run_shell(parsed.body, Path.cwd(), write, number)
        elif kind is CellKind.FS:
            magics.run_fs(parsed.body, self._dbutils.fs, self._display.display, number)
        elif kind is CellKind.PIP:
            pip_install.pip_magic(
                parsed.body, self._context.paths.pip_cache_root, Path.cwd(), write
            )
        elif kind is CellKind.SQL:
            run_sql_cell(
                parsed.body,
                session=self._spark.session,
                widgets=self._dbutils.widgets,
                display=self._display.display,
                namespace=self._shell.user_ns,
                cell_number=number,
            )
        elif kind is CellKind.RUN:
            raise CellError(
                f"%run is supported in source notebooks only, not in .ipynb (cell {number})"
            )
        elif kind in (CellKind.SCALA, CellKind.R):
            raise CellError(UNSUPPORTED_LANGUAGE.format(language=kind.value, n=number))
        else:
            raise CellError(
                f"{parsed.magic} is not supported in brickyard notebooks (cell {number})"
            )


def install_magics(
    shell: Any, context: TaskContext, dbutils: DBUtils, display: Display, spark: TaskSpark
) -> None:
    """Register the input transformer, the magic and a ``%pip`` line magic of our own."""
    handler = KernelCellMagic(shell, context, dbutils, display, spark)
    shell.register_magic_function(handler, magic_kind="cell", magic_name=CELL_MAGIC)
    shell.register_magic_function(
        lambda line: handler(line, ""), magic_kind="line", magic_name=CELL_MAGIC
    )
    shell.register_magic_function(
        lambda line: handler(f"%pip {line}", ""), magic_kind="line", magic_name="pip"
    )
    shell.input_transformers_cleanup.append(rewrite_magic_cell)
