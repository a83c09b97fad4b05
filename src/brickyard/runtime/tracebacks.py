"""Error texts for the result file: the traceback of the user's code, not of the runtime."""

from __future__ import annotations

import traceback
from pathlib import Path

_RUNTIME_DIR = str(Path(__file__).resolve().parent)


def _is_runtime_frame(filename: str) -> bool:
    # <frozen runpy> and importlib bootstrap frames wrap every script and import.
    return filename.startswith(_RUNTIME_DIR) or filename.startswith("<frozen ")


def _filter(te: traceback.TracebackException | None, seen: set[int]) -> None:
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list(
        [frame for frame in te.stack if not _is_runtime_frame(frame.filename)]
    )
    _filter(te.__cause__, seen)
    _filter(te.__context__, seen)


def error_trace(exc: BaseException) -> str:
    """The formatted traceback of ``exc`` without brickyard runtime frames."""
    te = traceback.TracebackException.from_exception(exc)
    _filter(te, set())
    return "".join(te.format()).rstrip("\n")


def error_summary(exc: BaseException) -> str:
    """One line naming the exception: ``ValueError: boom`` (the traceback's last line)."""
    te = traceback.TracebackException.from_exception(exc, limit=0)
    if issubclass(type(exc), SyntaxError):
        lines = [line.strip() for line in te.format_exception_only()]
        return lines[-1] if lines else type(exc).__name__
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("builtins", "__main__") and not module.startswith("brickyard."):
        name = f"{module}.{name}"
    message = str(exc)
    return f"{name}: {message}" if message else name
