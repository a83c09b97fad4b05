"""Run a Jupyter ``.ipynb`` notebook through nbclient and an ipykernel on this interpreter.

One kernel per notebook. A hidden first step (not saved in the notebook) binds dbutils in the
kernel to the same runtime spec; task values, the exit value and the secrets read come back
through side files in the task folder.

This module imports nbformat, nbclient and jupyter_client at module level: task_main imports it
only for ``.ipynb`` tasks.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

import brickyard
from brickyard import secret_store
from brickyard.errors import LibraryInstallationError
from brickyard.runtime import kernel_bootstrap
from brickyard.runtime.context import TaskContext
from brickyard.runtime.exceptions import CellError, KernelCellError
from brickyard.runtime.notebook_runner import NotebookStreams
from brickyard.task_protocol import RuntimeSpec, TaskFiles, write_json_atomic

KERNEL_NAME = "brickyard-python"
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_EXIT_ERROR_NAME = "NotebookExit"


def run_ipynb_notebook(
    spec: RuntimeSpec, context: TaskContext, streams: NotebookStreams
) -> str | None:
    """Execute the notebook; return the ``dbutils.notebook.exit`` value (None if not called).

    A failing cell raises :class:`KernelCellError` after the executed notebook is written.
    """
    notebook = spec.notebook
    assert notebook is not None
    task_dir = spec.result_file.parent
    document = nbformat.read(str(notebook.notebook_file), as_version=4)  # type: ignore[no-untyped-call]
    for stale in (kernel_bootstrap.EXIT_FILE, kernel_bootstrap.TASK_VALUES_FILE):
        (task_dir / stale).unlink(missing_ok=True)
    cwd = str(spec.cwd or Path.cwd())
    with tempfile.TemporaryDirectory(prefix="brickyard-kernel-") as kernel_dir:
        manager = _kernel_manager(Path(kernel_dir))
        client = NotebookClient(
            document,
            km=manager,
            timeout=None,
            allow_errors=True,
            resources={"metadata": {"path": cwd}},
        )
        try:
            with client.setup_kernel(cwd=cwd, env=_kernel_env(spec)):
                _run_setup(client, spec, task_dir)
                return _run_cells(client, document, context, streams, task_dir)
        finally:
            _merge_task_values(context, task_dir)
            _register_used_secrets(context, task_dir)
            if notebook.output_notebook is not None:
                write_json_atomic(notebook.output_notebook, context.redactor.redact_json(document))


def _kernel_manager(kernel_dir: Path) -> KernelManager:
    # A kernel spec of our own, so the kernel runs this interpreter whatever kernels the
    # machine has installed under the name "python3".
    spec_dir = kernel_dir / KERNEL_NAME
    spec_dir.mkdir()
    kernel_json = {
        # The kernel's own log shares the task's stderr: only its errors belong there, not
        # its warnings (such as "Parent appears to have exited, shutting down" at the end).
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": "Python (brickyard)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(kernel_json), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(kernel_dir)], ensure_native_kernel=False)
    # IPC sockets in the private folder: no TCP ports, no unencrypted-TCP warning in the logs.
    return KernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=specs,
        transport="ipc",
        ip=str(kernel_dir / "kernel"),
        connection_file=str(kernel_dir / "connection.json"),
    )


def _kernel_env(spec: RuntimeSpec) -> dict[str, str]:
    env = dict(os.environ)
    package_root = str(Path(brickyard.__file__).resolve().parent.parent)
    entries = [*spec.sys_path, package_root]
    if env.get("PYTHONPATH"):
        entries.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(entries)
    return env


def _run_setup(client: NotebookClient, spec: RuntimeSpec, task_dir: Path) -> None:
    spec_path = TaskFiles.of(task_dir).spec
    code = (
        "import brickyard.runtime.kernel_bootstrap as _brickyard_bootstrap\n"
        f"_brickyard_bootstrap.install({str(spec_path)!r}, {str(task_dir)!r})\n"
        "del _brickyard_bootstrap\n"
    )
    setup_cell = nbformat.v4.new_code_cell(code)  # type: ignore[no-untyped-call]
    # nbclient stores the executed cell at its index: run the setup as a temporary last cell.
    cells = client.nb.cells
    cells.append(setup_cell)
    try:
        client.execute_cell(setup_cell, len(cells) - 1, store_history=False)
    finally:
        cells.pop()
    for output in setup_cell.outputs:
        if output.get("output_type") == "error":
            trace = _plain_lines(output.get("traceback", []))
            raise CellError(f"the brickyard kernel setup failed: {trace}")


def _run_cells(
    client: NotebookClient,
    document: Any,
    context: TaskContext,
    streams: NotebookStreams,
    task_dir: Path,
) -> str | None:
    cells = document.cells
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        client.execute_cell(cell, index)
        _register_used_secrets(context, task_dir)
        _echo_to_logs(cell, streams)
        error = next((o for o in cell.outputs if o.get("output_type") == "error"), None)
        if error is None:
            continue
        _skip_rest(cells[index + 1 :])
        if error.get("ename") == _EXIT_ERROR_NAME:
            value = _read_exit_value(task_dir)
            cell.outputs = [o for o in cell.outputs if o is not error]
            cell.outputs.append(
                nbformat.v4.new_output(  # type: ignore[no-untyped-call]
                    "display_data", data={"text/plain": f"Notebook exited: {value}"}
                )
            )
            document.metadata.setdefault("brickyard", {})["exit_value"] = value
            return value
        if error.get("ename") == "LibraryInstallationError":
            raise LibraryInstallationError(str(error.get("evalue", "")))
        summary = f"{error.get('ename', 'Error')}: {error.get('evalue', '')}"
        raise KernelCellError(summary, _plain_lines(error.get("traceback", [])))
    return None


def _skip_rest(cells: list[Any]) -> None:
    for cell in cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def _echo_to_logs(cell: Any, streams: NotebookStreams) -> None:
    for output in cell.outputs:
        kind = output.get("output_type")
        if kind == "stream":
            target = streams.stderr if output.get("name") == "stderr" else streams.stdout
            target.write(output.get("text", ""))
        elif kind in ("display_data", "execute_result"):
            text = output.get("data", {}).get("text/plain")
            if text:
                streams.stdout.write(str(text) + "\n")
    streams.stdout.flush()
    streams.stderr.flush()


def _plain_lines(lines: list[str]) -> str:
    return "\n".join(_ANSI_ESCAPE.sub("", line) for line in lines).rstrip("\n")


def _read_exit_value(task_dir: Path) -> str | None:
    try:
        raw = json.loads((task_dir / kernel_bootstrap.EXIT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = raw.get("value") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _merge_task_values(context: TaskContext, task_dir: Path) -> None:
    try:
        raw = json.loads((task_dir / kernel_bootstrap.TASK_VALUES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(raw, dict):
        context.task_values.update(raw)


def _register_used_secrets(context: TaskContext, task_dir: Path) -> None:
    try:
        raw = json.loads((task_dir / kernel_bootstrap.SECRETS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, list) and len(entry) == 2:
            try:
                value = secret_store.get_secret(context.paths.secrets_file, *map(str, entry))
            except Exception:
                continue
            context.redactor.register(value)
