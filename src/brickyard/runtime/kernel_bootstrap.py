"""The hidden setup step of ``.ipynb`` tasks, run inside the Jupyter kernel.

It binds ``dbutils``/``display`` to the task's runtime spec and reports what the runner
cannot see from outside the kernel through side files in the task folder: the task values
(``kernel_task_values.json``), the exit value (``kernel_exit.json``) and which secrets were
read (``kernel_secrets.json``: scope and key only, so the runner can redact their values).
"""

from __future__ import annotations

import atexit
import builtins
from pathlib import Path
from typing import Any

from brickyard.runtime.context import RuntimePaths, TaskContext
from brickyard.runtime.dbutils import DBUtils
from brickyard.runtime.display import Display
from brickyard.runtime.kernel_magics import install_magics
from brickyard.runtime.spark.proxy import SparkNames, install_session_hooks
from brickyard.runtime.spark.session import TaskSpark
from brickyard.runtime.tracebacks import error_trace
from brickyard.task_protocol import read_runtime_spec, write_json_atomic

TASK_VALUES_FILE = "kernel_task_values.json"
EXIT_FILE = "kernel_exit.json"
SECRETS_FILE = "kernel_secrets.json"


def install(spec_path: str, side_dir: str) -> None:
    """Put ``dbutils``, ``display``, ``displayHTML`` and ``getArgument`` into the kernel."""
    # IPython is only present inside the kernel process; the runtime never imports it.
    from IPython import get_ipython
    from IPython.display import display as ipython_display

    spec = read_runtime_spec(Path(spec_path))
    side = Path(side_dir)
    context = TaskContext(spec, RuntimePaths.from_spec(spec))
    used_secrets: list[list[str]] = []

    def secret_used(scope: str, key: str) -> None:
        if [scope, key] not in used_secrets:
            used_secrets.append([scope, key])
            write_json_atomic(side / SECRETS_FILE, used_secrets)

    context.on_task_values_changed = lambda values: write_json_atomic(
        side / TASK_VALUES_FILE, values
    )
    context.on_secret_used = secret_used
    context.on_exit = lambda value: write_json_atomic(side / EXIT_FILE, {"value": value})
    context.display_sink = lambda bundle: ipython_display(bundle, raw=True)  # type: ignore[no-untyped-call]
    dbutils = DBUtils(context)
    display = Display(context)
    builtins.dbutils = dbutils  # type: ignore[attr-defined]
    builtins.display = display.display  # type: ignore[attr-defined]
    builtins.displayHTML = display.displayHTML  # type: ignore[attr-defined]
    builtins.getArgument = dbutils.widgets.getArgument  # type: ignore[attr-defined]
    # The kernel is its own process: its session is built here, on first use, and ended when
    # the kernel shuts down at the end of the notebook.
    spark = SparkNames(TaskSpark.for_task(spec))
    spark.install_builtins()
    install_session_hooks(spark.task_spark)
    atexit.register(spark.task_spark.close)
    shell = get_ipython()
    if shell is not None:
        # Plain tracebacks without brickyard runtime frames, like the other task kinds.
        shell.set_custom_exc((Exception,), _plain_traceback)
        install_magics(shell, context, dbutils, display, spark.task_spark)


def _plain_traceback(
    shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    lines = error_trace(
        value, hidden_dirs=_kernel_dirs(), label=lambda filename: _cell_label(shell, filename)
    ).splitlines()
    # IPython leaves showing the traceback (the kernel's "error" message) to custom handlers.
    shell._showtraceback(etype, value, lines)
    return lines


def _kernel_dirs() -> tuple[str, ...]:
    # The kernel's own frames (IPython's run_code exec, ipykernel's loop) wrap every cell.
    import ipykernel
    import IPython

    return tuple(str(Path(module.__file__ or "").parent) + "/" for module in (IPython, ipykernel))


def _cell_label(shell: Any, filename: str) -> str | None:
    # A cell's code lives in a kernel temporary file; IPython knows which execution it was,
    # the number the executed notebook shows beside the cell.
    named = shell.compile.format_code_name(filename)
    return " ".join(named) if named else None
