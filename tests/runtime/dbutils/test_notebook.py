from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from brickyard.runtime.dbutils import DBUtils
from brickyard.runtime.exceptions import NotebookExit, NotebookRunError


def test_exit_raises_with_the_string_value(context_factory: Callable[..., Any]) -> None:
    with pytest.raises(NotebookExit) as raised:
        DBUtils(context_factory()).notebook.exit(42)
    assert raised.value.value == "42"


def test_run_without_control_socket_is_a_clear_error(
    context_factory: Callable[..., Any],
) -> None:
    with pytest.raises(NotebookRunError, match="needs the brickyard engine"):
        DBUtils(context_factory()).notebook.run("./child", 60)
    with pytest.raises(NotebookRunError, match="needs the brickyard engine"):
        DBUtils(context_factory(in_job=False)).notebook.run("./child", 60)


class FakeEngine:
    """A real AF_UNIX server that answers each request with a prepared reply."""

    def __init__(self, path: Path, reply: dict[str, Any] | bytes) -> None:
        self.path = path
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn, conn.makefile("rb") as reader:
            self.requests.append(json.loads(reader.readline()))
            reply = self.reply
            conn.sendall(reply if isinstance(reply, bytes) else json.dumps(reply).encode() + b"\n")

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def engine_socket(tmp_path: Path) -> Iterator[Callable[[Any], FakeEngine]]:
    engines: list[FakeEngine] = []

    def start(reply: Any) -> FakeEngine:
        # AF_UNIX paths are short: keep the socket name small.
        engine = FakeEngine(tmp_path / f"e{len(engines)}.sock", reply)
        engines.append(engine)
        return engine

    yield start
    for engine in engines:
        engine.close()


def test_run_protocol_success(
    context_factory: Callable[..., Any], engine_socket: Callable[[Any], FakeEngine], tmp_path: Path
) -> None:
    engine = engine_socket({"ok": True, "run_id": 77, "result": "child-done"})
    context = context_factory(
        control_socket=str(engine.path), notebook_file=str(tmp_path / "ETL" / "parent.py")
    )
    result = DBUtils(context).notebook.run("./child", 30, {"date": 20261121})  # type: ignore[dict-item]
    assert result == "child-done"
    assert engine.requests == [
        {
            "op": "notebook_run",
            "path": "./child",
            "base_dir": str(tmp_path / "ETL"),
            "timeout_seconds": 30,
            "arguments": {"date": "20261121"},
            "parent_task_run_id": 11,
        }
    ]


def test_run_protocol_null_result(
    context_factory: Callable[..., Any], engine_socket: Callable[[Any], FakeEngine]
) -> None:
    engine = engine_socket({"ok": True, "run_id": 5, "result": None})
    dbutils = DBUtils(context_factory(control_socket=str(engine.path)))
    assert dbutils.notebook.run("/ETL/child", 0) is None
    assert engine.requests[0]["arguments"] == {}
    assert engine.requests[0]["timeout_seconds"] == 0


def test_run_protocol_failure_raises_with_the_error(
    context_factory: Callable[..., Any], engine_socket: Callable[[Any], FakeEngine]
) -> None:
    engine = engine_socket({"ok": False, "run_id": 9, "error": "ValueError: child failed"})
    dbutils = DBUtils(context_factory(control_socket=str(engine.path)))
    with pytest.raises(NotebookRunError, match="ValueError: child failed") as raised:
        dbutils.notebook.run("./child", 10)
    assert raised.value.run_id == 9


def test_run_protocol_invalid_reply(
    context_factory: Callable[..., Any], engine_socket: Callable[[Any], FakeEngine]
) -> None:
    engine = engine_socket(b"not json\n")
    dbutils = DBUtils(context_factory(control_socket=str(engine.path)))
    with pytest.raises(NotebookRunError, match="invalid reply"):
        dbutils.notebook.run("./child", 10)


def test_run_unreachable_engine(context_factory: Callable[..., Any], tmp_path: Path) -> None:
    dbutils = DBUtils(context_factory(control_socket=str(tmp_path / "gone.sock")))
    with pytest.raises(NotebookRunError, match="cannot reach the brickyard engine"):
        dbutils.notebook.run("./child", 10)
    with pytest.raises(ValueError, match="non-negative"):
        dbutils.notebook.run("./child", -1)
