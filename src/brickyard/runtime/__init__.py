"""What runs inside a task process: dbutils, display, the notebook runners and the task main.

Imports only the standard library and leaf modules (``brickyard.errors``,
``brickyard.workspace``, ``brickyard.secret_store``, ``brickyard.task_protocol`` — the files it
reads and writes), so task processes start fast; nothing server-side imports it (a task process
is started as ``python -m brickyard.runtime`` or by the fork server, by module name).
"""

from __future__ import annotations

from pathlib import Path

from brickyard.runtime.context import RuntimePaths, TaskContext, default_home
from brickyard.runtime.dbutils import DBUtils

__all__ = ["DBUtils", "get_dbutils"]


def get_dbutils(home: Path | None = None) -> DBUtils:
    """A ``dbutils`` for interactive and local use outside a job.

    Widgets return their defaults, ``taskValues.get`` returns ``debugValue``, secrets and files
    come from ``home`` (default ``$BRICKYARD_HOME`` or ``~/.brickyard``), and
    ``notebook.run`` explains that it needs the engine.
    """
    context = TaskContext(None, RuntimePaths.under_home(home or default_home()))
    return DBUtils(context)
