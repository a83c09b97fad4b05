"""The task-process file protocol: what the server and a task process exchange through files.

One attempt's folder (:mod:`~brickyard.task_protocol.layout`) holds ``spec.json`` (written by
the executors, read by the runtime), ``pid.json`` (written first by the runtime, read by
engine recovery), ``result.json`` (written last by the runtime, read by the executors and
recovery), the logs and the executed notebook. Each file is a frozen, versioned dataclass with
exactly one writer and one reader here; readers accept every version written so far.

Standard library only, and nothing of brickyard: both the server side and the task runtime
import it, and the runtime must start fast.
"""

from __future__ import annotations

from brickyard.task_protocol.json_files import ProtocolError, write_json_atomic
from brickyard.task_protocol.layout import TaskFiles, attempt_dir
from brickyard.task_protocol.pid_file import PidFile, read_pid_file, write_pid_file
from brickyard.task_protocol.procfs import ProcessStat, read_process_start, read_process_stat
from brickyard.task_protocol.result_file import (
    ResultStatus,
    TaskResult,
    read_result_file,
    write_result_file,
)
from brickyard.task_protocol.runtime_spec import (
    NotebookPayload,
    PythonFilePayload,
    PythonWheelPayload,
    RuntimeKind,
    RuntimePayload,
    RuntimeSpec,
    read_runtime_spec,
    write_runtime_spec,
)
from brickyard.task_protocol.spark_session import SparkMode, SparkSessionSpec

__all__ = [
    "NotebookPayload",
    "PidFile",
    "ProcessStat",
    "ProtocolError",
    "PythonFilePayload",
    "PythonWheelPayload",
    "ResultStatus",
    "RuntimeKind",
    "RuntimePayload",
    "RuntimeSpec",
    "SparkMode",
    "SparkSessionSpec",
    "TaskFiles",
    "TaskResult",
    "attempt_dir",
    "read_pid_file",
    "read_process_start",
    "read_process_stat",
    "read_result_file",
    "read_runtime_spec",
    "write_json_atomic",
    "write_pid_file",
    "write_result_file",
    "write_runtime_spec",
]
