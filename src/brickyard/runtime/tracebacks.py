"""Error texts for the result file: the traceback of the user's code, not of the runtime."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

_RUNTIME_DIR = str(Path(__file__).resolve().parent)

FrameLabel = Callable[[str], str | None]
"""A name for a frame's file where its path means nothing to the user (a notebook cell's
``Cell In[3]`` instead of the kernel's temporary file), or None to keep the path."""


class _LabelledStack(traceback.StackSummary):
    """A stack that prints ``Cell In[3], line 2, in f`` for the frames ``label`` names."""

    label: FrameLabel | None = None

    def format_frame_summary(self, frame_summary: traceback.FrameSummary) -> str:
        text = super().format_frame_summary(frame_summary)
        name = self.label(frame_summary.filename) if self.label else None
        if name is None:
            return text
        # The source line was looked up by the real file name; only the heading changes.
        return text.replace(f'File "{frame_summary.filename}", line', f"{name}, line", 1)


def _filter(
    te: traceback.TracebackException | None,
    seen: set[int],
    hidden: tuple[str, ...],
    label: FrameLabel | None,
) -> None:
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    # <frozen runpy> and importlib bootstrap frames wrap every script and import.
    stack = _LabelledStack(
        frame for frame in te.stack if not frame.filename.startswith(("<frozen ", *hidden))
    )
    stack.label = label
    te.stack = stack
    _filter(te.__cause__, seen, hidden, label)
    _filter(te.__context__, seen, hidden, label)


def error_trace(
    exc: BaseException, *, hidden_dirs: Sequence[str] = (), label: FrameLabel | None = None
) -> str:
    """The formatted traceback of ``exc`` without brickyard runtime frames.

    ``hidden_dirs`` drops frames of more code the user did not write (IPython's, in a
    kernel); ``label`` renames the frames of code that has no file of its own.
    """
    te = traceback.TracebackException.from_exception(exc)
    _filter(te, set(), (_RUNTIME_DIR, *hidden_dirs), label)
    return "".join(te.format()).rstrip("\n")


def error_summary(exc: BaseException) -> str:
    """One line naming the exception: ``ValueError: boom`` (the traceback's last line)."""
    te = traceback.TracebackException.from_exception(exc, limit=0)
    if issubclass(type(exc), SyntaxError):
        lines = [line.strip() for line in te.format_exception_only()]
        return lines[-1] if lines else type(exc).__name__
    name = type(exc).__qualname__
    module = type(exc).__module__
    message = str(exc)
    if module.startswith("pyspark."):
        # As Databricks shows a Spark error: its class and the message's first line
        # (``AnalysisException: [TABLE_OR_VIEW_NOT_FOUND] ...``); the query plan and the JVM
        # stack trace that follow stay in the error trace.
        lines = message.strip().splitlines()
        message = lines[0] if lines else ""
    elif module not in ("builtins", "__main__") and not module.startswith("brickyard."):
        name = f"{module}.{name}"
    return f"{name}: {message}" if message else name
