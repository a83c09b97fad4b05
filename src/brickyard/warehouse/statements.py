"""Statement Execution: statements run on a warehouse's engine, waited for up to
``wait_timeout``, and their results cut into chunks.

A statement runs on the service's threads. ``execute`` waits for it up to ``wait_timeout``
(``0s``: not at all; 5 to 50 s otherwise, as Databricks allows) and then answers with its
state; ``on_wait_timeout`` CANCEL cancels one that is still running, CONTINUE (the default)
leaves it running for ``get`` to follow. A result is held in memory as an Arrow table and cut
into chunks of about :data:`CHUNK_BYTES`: INLINE JSON_ARRAY chunks carry ``data_array``
(every value a string, as Databricks sends them; see :mod:`brickyard.warehouse.json_rows`),
INLINE ARROW_STREAM chunks an ``attachment`` (the Arrow IPC stream, base64), EXTERNAL_LINKS
chunks a link to this server that needs no token, only the statement's own secret (as
Databricks' presigned links do).

Statements live in this process for :data:`RESULT_TTL_SECONDS` (the most recent
:data:`MAX_STATEMENTS`); a restarted server has forgotten them, as a warehouse's results
expire on Databricks.
"""

from __future__ import annotations

import base64
import io
import re
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Final

import pyarrow as pa
import pyarrow.csv as pa_csv

from brickyard.errors import (
    BrickyardError,
    InvalidInputError,
    ResourceNotFoundError,
    SqlCanceledError,
)
from brickyard.warehouse.parameters import Parameter
from brickyard.warehouse.results import StatementResult
from brickyard.warehouse.service import WarehouseService

CHUNK_BYTES: Final = 4 * 1024 * 1024
"""About how much of a result one chunk holds (Databricks' inline chunks are at most 25 MiB)."""
RESULT_TTL_SECONDS: Final = 3600.0
MAX_STATEMENTS: Final = 1000
DEFAULT_WAIT_SECONDS: Final = 10
FORMATS: Final = ("JSON_ARRAY", "ARROW_STREAM", "CSV")
DISPOSITIONS: Final = ("INLINE", "EXTERNAL_LINKS")

_WAIT_PATTERN: Final = re.compile(r"^(\d+)s$")


@dataclass(frozen=True)
class StatementRequest:
    """What ``POST /sql/statements`` asks for."""

    statement: str
    warehouse_id: str
    catalog: str | None = None
    schema: str | None = None
    parameters: Sequence[Parameter] = ()
    row_limit: int | None = None
    disposition: str = "INLINE"
    format: str = "JSON_ARRAY"
    wait_timeout: str = f"{DEFAULT_WAIT_SECONDS}s"
    on_wait_timeout: str = "CONTINUE"

    def checked(self) -> StatementRequest:
        """The request, or InvalidInputError naming what Databricks would refuse."""
        if not self.statement.strip():
            raise InvalidInputError("statement must not be empty")
        if self.format not in FORMATS:
            raise InvalidInputError(
                f"format must be one of {', '.join(FORMATS)}, got {self.format!r}"
            )
        if self.disposition not in DISPOSITIONS:
            raise InvalidInputError(
                f"disposition must be INLINE or EXTERNAL_LINKS, got {self.disposition!r}"
            )
        if self.format == "CSV" and self.disposition == "INLINE":
            raise InvalidInputError(
                "format CSV needs disposition EXTERNAL_LINKS (as on Databricks)"
            )
        if self.on_wait_timeout not in ("CONTINUE", "CANCEL"):
            raise InvalidInputError(
                f"on_wait_timeout must be CONTINUE or CANCEL, got {self.on_wait_timeout!r}"
            )
        wait_seconds(self.wait_timeout)
        if self.row_limit is not None and self.row_limit < 0:
            raise InvalidInputError(f"row_limit must not be negative, got {self.row_limit}")
        return self


def wait_seconds(wait_timeout: str) -> int:
    """``"10s"`` as 10; 0 or 5 to 50 seconds, else InvalidInputError."""
    match = _WAIT_PATTERN.match(wait_timeout)
    seconds = int(match.group(1)) if match else -1
    if seconds != 0 and not 5 <= seconds <= 50:
        raise InvalidInputError(
            f"wait_timeout must be 0s or between 5s and 50s, got {wait_timeout!r}"
        )
    return seconds


@dataclass
class Statement:
    """One statement: its request, state, and (once it succeeded) its result in chunks."""

    statement_id: str
    request: StatementRequest
    secret: str
    created: float
    state: str = "PENDING"
    error: dict[str, str] | None = None
    result: StatementResult | None = None
    chunks: list[pa.Table] = field(default_factory=list)
    future: Future[None] | None = None
    done: threading.Event = field(default_factory=threading.Event)


class StatementService:
    """Runs statements on the warehouses of ``warehouses`` and keeps their results."""

    def __init__(self, warehouses: WarehouseService, *, max_parallel: int = 8) -> None:
        self._warehouses = warehouses
        self._statements: OrderedDict[str, Statement] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_parallel, thread_name_prefix="brickyard-statement")

    def execute(self, request: StatementRequest) -> Statement:
        """Start ``request`` and wait for it as its ``wait_timeout`` says."""
        request = request.checked()
        self._warehouses.get(request.warehouse_id)  # 404 for an unknown warehouse, at once
        statement = Statement(
            statement_id=str(uuid.uuid4()),
            request=request,
            secret=secrets.token_urlsafe(24),
            created=time.monotonic(),
        )
        with self._lock:
            self._forget_expired()
            self._statements[statement.statement_id] = statement
        statement.future = self._pool.submit(self._run, statement)
        seconds = wait_seconds(request.wait_timeout)
        if seconds and not statement.done.wait(seconds) and request.on_wait_timeout == "CANCEL":
            self.cancel(statement.statement_id)
            statement.done.wait(5)
        return statement

    def get(self, statement_id: str) -> Statement:
        """The statement; 404 when it is unknown or expired."""
        with self._lock:
            statement = self._statements.get(statement_id)
        if statement is None:
            raise ResourceNotFoundError(f"Statement {statement_id} does not exist or has expired.")
        return statement

    def cancel(self, statement_id: str) -> None:
        """Cancel a statement that has not finished (one that has is left as it is)."""
        statement = self.get(statement_id)
        if statement.done.is_set():
            return
        if statement.future is not None and statement.future.cancel():
            self._finish(statement, "CANCELED")
            return
        try:
            engine = self._warehouses.engine(statement.request.warehouse_id, timeout=0)
        except BrickyardError:
            return
        engine.cancel(statement_id)

    def chunk(self, statement_id: str, index: int) -> pa.Table:
        """Chunk ``index`` of a succeeded statement's result."""
        statement = self.get(statement_id)
        if statement.state != "SUCCEEDED":
            raise InvalidInputError(
                f"Statement {statement_id} has no result: it is {statement.state}"
            )
        if not 0 <= index < len(statement.chunks):
            raise InvalidInputError(
                f"chunk_index {index} is out of range: the result has "
                f"{len(statement.chunks)} chunks"
            )
        return statement.chunks[index]

    def close(self) -> None:
        """Stop taking statements; running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, statement: Statement) -> None:
        request = statement.request
        statement.state = "RUNNING"
        try:
            engine = self._warehouses.engine(request.warehouse_id)
            script = engine.execute_script(
                request.statement,
                parameters={p.name: p for p in request.parameters},
                catalog=request.catalog,
                schema=request.schema,
                row_limit=request.row_limit,
                statement_id=statement.statement_id,
            )
        except SqlCanceledError:
            self._finish(statement, "CANCELED")
            return
        except BrickyardError as error:
            statement.error = {"error_code": "BAD_REQUEST", "message": str(error)}
            self._finish(statement, "FAILED")
            return
        except Exception as error:  # an engine failure still ends the statement, with why
            statement.error = {"error_code": "INTERNAL_ERROR", "message": str(error)}
            self._finish(statement, "FAILED")
            return
        statement.result = script.result
        statement.chunks = cut_into_chunks(script.result.rows)
        self._finish(statement, "SUCCEEDED")

    def _finish(self, statement: Statement, state: str) -> None:
        statement.state = state
        statement.done.set()

    def _forget_expired(self) -> None:
        now = time.monotonic()
        while self._statements:
            oldest = next(iter(self._statements.values()))
            expired = now - oldest.created > RESULT_TTL_SECONDS
            if not expired and len(self._statements) < MAX_STATEMENTS:
                return
            if not oldest.done.is_set() and not expired:
                return
            self._statements.popitem(last=False)


def cut_into_chunks(table: pa.Table) -> list[pa.Table]:
    """``table`` in chunks of about :data:`CHUNK_BYTES` (one, possibly empty, at least)."""
    if table.num_rows == 0:
        return [table]
    per_row = max(1, table.nbytes // table.num_rows)
    rows_per_chunk = max(1, CHUNK_BYTES // per_row)
    return [
        table.slice(offset, rows_per_chunk) for offset in range(0, table.num_rows, rows_per_chunk)
    ]


def arrow_stream(chunk: pa.Table) -> bytes:
    """A chunk as an Arrow IPC stream."""
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, chunk.schema) as writer:
        writer.write_table(chunk)
    return sink.getvalue()


def csv_bytes(chunk: pa.Table) -> bytes:
    """A chunk as CSV with a header line."""
    sink = io.BytesIO()
    pa_csv.write_csv(chunk, sink)
    return sink.getvalue()


def attachment(chunk: pa.Table) -> str:
    """An INLINE ARROW_STREAM chunk's ``attachment``: the IPC stream, base64."""
    return base64.b64encode(arrow_stream(chunk)).decode("ascii")
