"""Exceptions raised inside a task process (by dbutils, the cell runner and the task main)."""

from __future__ import annotations


class InputWidgetNotDefined(Exception):  # noqa: N818 - the name Databricks users know
    """``dbutils.widgets.get`` of a name that is neither declared nor passed to the task."""


class NotebookExit(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised by ``dbutils.notebook.exit``: the notebook stops successfully with ``value``.

    Like on Databricks it is an ``Exception``, so a bare ``except Exception`` in user code
    catches it.
    """

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


class NotebookRunError(Exception):
    """``dbutils.notebook.run`` failed: the child run failed, timed out or could not start."""

    def __init__(self, message: str, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


class CellError(Exception):
    """A notebook cell that cannot run here (``%sql``, ``%scala``, a failed ``%sh``, ...)."""


class TaskTerminated(BaseException):
    """The task process received SIGTERM (cancellation or timeout)."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(f"terminated by signal {signal_name}")
        self.signal_name = signal_name


class KernelCellError(Exception):
    """A cell of an ``.ipynb`` notebook failed in the Jupyter kernel."""

    def __init__(self, summary: str, trace: str) -> None:
        super().__init__(summary)
        self.summary = summary
        self.trace = trace


class SparkSessionError(Exception):
    """The task's ``spark`` cannot be had: pyspark is missing, the cluster did not start, its
    Spark Connect server does not answer, or (``sc``) the session has no SparkContext."""
