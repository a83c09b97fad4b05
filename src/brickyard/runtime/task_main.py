"""The task process's main function: read the spec, run the task, always write the result.

The fork server imports this module ahead of time and calls :func:`run_task` in each forked
child; ``python -m brickyard.runtime SPEC`` calls it too. Keep its imports light.
"""

from __future__ import annotations

import builtins
import contextlib
import signal
import sys
import traceback
from pathlib import Path
from types import FrameType
from typing import Any

from brickyard.errors import LibraryInstallationError, TaskLaunchError
from brickyard.runtime.context import RuntimePaths, TaskContext
from brickyard.runtime.dbutils import DBUtils
from brickyard.runtime.display import Display
from brickyard.runtime.exceptions import KernelCellError, NotebookExit, TaskTerminated
from brickyard.runtime.notebook_runner import NotebookStreams, SourceNotebookRunner
from brickyard.runtime.python_tasks import run_python_file, run_python_wheel
from brickyard.runtime.redaction import RedactingWriter, Redactor
from brickyard.runtime.results import RUN_EXECUTION_ERROR_CODE, truncate_exit_value
from brickyard.runtime.spark.proxy import SparkNames, install_session_hooks
from brickyard.runtime.spark.session import TaskSpark
from brickyard.runtime.tracebacks import error_summary, error_trace
from brickyard.task_protocol import (
    NotebookPayload,
    PythonFilePayload,
    PythonWheelPayload,
    ResultStatus,
    RuntimeSpec,
    TaskFiles,
    TaskResult,
    read_runtime_spec,
    write_pid_file,
    write_result_file,
)

_ERROR_CODES = {
    "RESOURCE_NOT_FOUND": "ResourceNotFound",
    "LIBRARY_INSTALLATION_ERROR": "LibraryInstallationError",
    "INVALID_RUN_CONFIGURATION": "InvalidRunConfiguration",
    "CANCELED": "Canceled",
}


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise TaskTerminated(signal.Signals(signum).name)


def run_task(spec_path: Path) -> int:
    """Run the task described by ``spec_path`` and write its result file.

    Returns 0 when the task succeeded and 1 when it failed. stdout/stderr are expected to be
    the task's log files already (the launcher or fork server set them up).
    """
    files = TaskFiles.of(Path(spec_path).parent)
    write_pid_file(files.pid)
    result_file = files.result
    previous_handler = signal.signal(signal.SIGTERM, _raise_terminated)
    original_streams = (sys.stdout, sys.stderr)
    context: TaskContext | None = None
    try:
        try:
            spec = read_runtime_spec(Path(spec_path).absolute())
            result_file = spec.result_file
            context = TaskContext(spec, RuntimePaths.from_spec(spec))
            streams = _install_streams(context.redactor)
            _write_warnings(spec.warnings)
            result = _run(spec, context, streams)
        except BaseException as exc:
            result = _failure(exc, context)
        # A late SIGTERM must not interrupt the result file half-way.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        redactor = context.redactor if context is not None else Redactor()
        result = _redacted(result, redactor)
        if result.status is ResultStatus.FAILED and result.error_trace:
            print(result.error_trace, file=sys.stderr)
        _flush(sys.stdout, sys.stderr)
        write_result_file(result_file, result)
    finally:
        sys.stdout, sys.stderr = original_streams
        signal.signal(signal.SIGTERM, previous_handler)
    return 0 if result.status is ResultStatus.SUCCESS else 1


def _install_streams(redactor: Redactor) -> NotebookStreams:
    streams = NotebookStreams(
        stdout=RedactingWriter(sys.stdout, redactor, "stdout"),
        stderr=RedactingWriter(sys.stderr, redactor, "stderr"),
    )
    sys.stdout, sys.stderr = streams.stdout, streams.stderr
    return streams


def _write_warnings(warnings: tuple[str, ...]) -> None:
    # First in the log, so a task that succeeds without its Maven library still says so.
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def install_builtins(dbutils: DBUtils, display: Display) -> None:
    """Make ``dbutils``, ``display`` and ``displayHTML`` global names for every module."""
    builtins.dbutils = dbutils  # type: ignore[attr-defined]
    builtins.display = display.display  # type: ignore[attr-defined]
    builtins.displayHTML = display.displayHTML  # type: ignore[attr-defined]


def _run(spec: RuntimeSpec, context: TaskContext, streams: NotebookStreams) -> TaskResult:
    dbutils = DBUtils(context)
    display = Display(context)
    install_builtins(dbutils, display)
    # Nothing of Spark happens here: the session is built when the task's code first uses it.
    spark = SparkNames(TaskSpark.for_task(spec))
    spark.install_builtins()
    install_session_hooks(spark.task_spark)
    exit_value: str | None = None
    try:
        payload = spec.payload
        if isinstance(payload, PythonFilePayload):
            run_python_file(payload.python_file, payload.argv)
        elif isinstance(payload, PythonWheelPayload):
            run_python_wheel(payload.package_name, payload.entry_point, payload.argv)
        else:
            exit_value = _run_notebook(spec, payload, context, dbutils, display, streams, spark)
    except NotebookExit as stop:
        exit_value = stop.value
    except SystemExit as stop:
        if stop.code not in (None, 0):
            raise
    finally:
        spark.task_spark.close()
    return _success(exit_value, context)


def _run_notebook(
    spec: RuntimeSpec,
    notebook: NotebookPayload,
    context: TaskContext,
    dbutils: DBUtils,
    display: Display,
    streams: NotebookStreams,
    spark: SparkNames,
) -> str | None:
    notebook_file = notebook.notebook_file
    if not notebook_file.is_file():
        raise TaskLaunchError(f"notebook {notebook_file}: the file does not exist")
    if notebook.is_jupyter:
        # nbclient, jupyter_client and zmq are heavy: only .ipynb tasks pay for them.
        from brickyard.runtime.ipynb_runner import run_ipynb_notebook

        return run_ipynb_notebook(spec, context, streams)
    name = notebook.notebook_workspace_path or str(notebook_file)
    runner = SourceNotebookRunner(context, dbutils, display, streams, spark)
    return runner.run(notebook_file, name, notebook.output_notebook)


def _success(exit_value: str | None, context: TaskContext) -> TaskResult:
    truncated = False
    if exit_value is not None:
        exit_value, truncated = truncate_exit_value(exit_value)
    return TaskResult(
        status=ResultStatus.SUCCESS,
        exit_value=exit_value,
        exit_value_truncated=truncated,
        task_values=dict(context.task_values),
    )


def _failure(exc: BaseException, context: TaskContext | None) -> TaskResult:
    task_values = dict(context.task_values) if context is not None else {}
    termination_code = "RUN_EXECUTION_ERROR"
    trace: str | None
    if isinstance(exc, TaskTerminated):
        error, trace, termination_code = str(exc), error_trace(exc), "CANCELED"
    elif isinstance(exc, SystemExit):
        error, trace = _exit_message(exc.code), None
    elif isinstance(exc, KeyboardInterrupt):
        error, trace = "interrupted (KeyboardInterrupt)", error_trace(exc)
    elif isinstance(exc, KernelCellError):
        error, trace = exc.summary, exc.trace
    elif isinstance(exc, LibraryInstallationError):
        error, trace, termination_code = str(exc), None, "LIBRARY_INSTALLATION_ERROR"
    elif isinstance(exc, TaskLaunchError):
        error, trace, termination_code = str(exc), None, exc.termination_code
    else:
        error, trace = error_summary(exc), error_trace(exc)
    if context is None and not isinstance(exc, TaskTerminated | KeyboardInterrupt):
        # The spec could not be read: the runtime, not the user's code, failed.
        termination_code = "INVALID_RUN_CONFIGURATION"
        trace = "".join(traceback.format_exception(exc))
    return TaskResult(
        status=ResultStatus.FAILED,
        task_values=task_values,
        error=error,
        error_trace=trace,
        error_code=_ERROR_CODES.get(termination_code, RUN_EXECUTION_ERROR_CODE),
        termination_code=termination_code,
    )


def _exit_message(code: Any) -> str:
    if isinstance(code, int):
        return f"exited with code {code}"
    return f"exited with code 1: {code}"


def _redacted(result: TaskResult, redactor: Redactor) -> TaskResult:
    if not redactor.active:
        return result
    return TaskResult(
        status=result.status,
        exit_value=None if result.exit_value is None else redactor.redact(result.exit_value),
        exit_value_truncated=result.exit_value_truncated,
        task_values=result.task_values,
        error=None if result.error is None else redactor.redact(result.error),
        error_trace=None if result.error_trace is None else redactor.redact(result.error_trace),
        error_code=result.error_code,
        termination_code=result.termination_code,
    )


def _flush(*streams: Any) -> None:
    for stream in streams:
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
