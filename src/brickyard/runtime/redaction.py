"""Secret redaction: every secret value handed out is replaced by ``[REDACTED]`` in output."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any, TextIO

REDACTED = "[REDACTED]"


class Redactor:
    """The set of secret values this task has seen, and the function that hides them."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._ordered: list[str] = []

    def register(self, value: str) -> None:
        """Hide ``value`` from now on (empty values are ignored: they would match everywhere)."""
        if value and value not in self._secrets:
            self._secrets.add(value)
            # Longest first, so a secret that contains another is hidden whole.
            self._ordered = sorted(self._secrets, key=len, reverse=True)

    @property
    def active(self) -> bool:
        """Whether any secret is registered."""
        return bool(self._ordered)

    def redact(self, text: str) -> str:
        """``text`` with every registered secret replaced by ``[REDACTED]``."""
        for secret in self._ordered:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def redact_json(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string redacted."""
        if not self._ordered:
            return value
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.redact_json(item) for key, item in value.items()}
        return value


StreamListener = Callable[[str], None]


class RedactingWriter(io.TextIOBase):
    """A line-buffered text stream in front of ``sys.stdout``/``sys.stderr``.

    Complete lines are redacted and written through (and flushed) at once, so log files are
    live; a trailing partial line waits for its newline or an explicit ``flush()``, so a secret
    printed in pieces on one line is still hidden. Listeners (the notebook runner's per-cell
    capture) receive the same redacted text.
    """

    def __init__(self, target: TextIO, redactor: Redactor, name: str) -> None:
        super().__init__()
        self._target = target
        self._redactor = redactor
        self._name = name
        self._pending = ""
        self._listeners: list[StreamListener] = []
        self._lock = threading.RLock()

    @property
    def name(self) -> str:
        """The stream's name (``stdout`` or ``stderr``)."""
        return self._name

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The target's encoding."""
        return getattr(self._target, "encoding", None) or "utf-8"

    @property
    def target(self) -> TextIO:
        """The wrapped stream (the log file)."""
        return self._target

    def writable(self) -> bool:
        """Always writable."""
        return True

    def isatty(self) -> bool:
        """Never a terminal: task output goes to log files."""
        return False

    def fileno(self) -> int:
        """The target's descriptor (subprocesses that inherit it bypass redaction)."""
        return self._target.fileno()

    def add_listener(self, listener: StreamListener) -> None:
        """Also send redacted output to ``listener`` until :meth:`remove_listener`."""
        with self._lock:
            self._flush_pending()
            self._listeners.append(listener)

    def remove_listener(self, listener: StreamListener) -> None:
        """Stop sending output to ``listener`` (flushing a pending partial line to it first)."""
        with self._lock:
            self._flush_pending()
            if listener in self._listeners:
                self._listeners.remove(listener)

    def write(self, text: str) -> int:
        """Write ``text``; complete lines go through immediately."""
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self._lock:
            data = self._pending + text
            cut = data.rfind("\n") + 1
            self._pending = data[cut:]
            if cut:
                self._emit(data[:cut])
        return len(text)

    def write_uncaptured(self, text: str) -> None:
        """Write to the log only, not to listeners (e.g. a text copy of a display output)."""
        with self._lock:
            self._flush_pending()
            self._target.write(self._redactor.redact(text))
            self._target.flush()

    def flush(self) -> None:
        """Write a pending partial line through."""
        with self._lock:
            self._flush_pending()
            self._target.flush()

    def _flush_pending(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._emit(pending)

    def _emit(self, text: str) -> None:
        redacted = self._redactor.redact(text)
        # Listeners (the notebook's cell output) first: a SIGTERM handled right after the log
        # shows a line must find it in the cell too (the handler saves the notebook).
        for listener in self._listeners:
            listener(redacted)
        self._target.write(redacted)
        self._target.flush()
