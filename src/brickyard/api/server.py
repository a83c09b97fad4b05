"""Serving the app with uvicorn, stopping gracefully on SIGINT and SIGTERM."""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Iterator
from types import FrameType

import uvicorn
from fastapi import FastAPI

GRACEFUL_SHUTDOWN_SECONDS = 10
"""How long open requests may take to finish after a stop signal."""

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve(app: FastAPI, *, host: str, port: int, access_log: bool = False) -> None:
    """Serve ``app`` until SIGINT or SIGTERM; returns after the app's lifespan has ended."""
    log_to_stderr()
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=access_log,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    # Everything loaded so far lives as long as the server: move it out of the collector's
    # reach, or each full collection (every ~1500 requests) stalls every request ~80 ms.
    gc.collect()
    gc.freeze()
    _GracefulServer(config).run()


def log_to_stderr() -> None:
    """brickyard's own log lines (a run started, a run ended, errors) at INFO on stderr, unless
    the embedding program configured the ``brickyard`` logger itself."""
    brickyard_logger = logging.getLogger("brickyard")
    if brickyard_logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    brickyard_logger.addHandler(handler)
    brickyard_logger.setLevel(logging.INFO)


class _GracefulServer(uvicorn.Server):
    """uvicorn, minus re-raising the stop signal after its graceful shutdown: that would kill
    the process before the engine's helpers (fork server, control socket) are closed. The
    command then exits 0, as a service stopped on purpose should."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        previous = {sig: signal.signal(sig, self._stop) for sig in _STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, sig: int, _frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True  # a second Ctrl-C: stop without waiting
        self.should_exit = True
