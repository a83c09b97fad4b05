"""The fork server's line protocol, spoken directly over its pipes (a real server process)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brickyard.compute.procfs import is_process_alive
from brickyard.runtime.forkserver import parse_request


class Server:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.stdin = process.stdin
        self.stdout = process.stdout

    def send(self, message: Any) -> None:
        raw = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.stdin.write(raw + b"\n")
        self.stdin.flush()

    def receive(self) -> dict[str, Any]:
        line = self.stdout.readline()
        assert line, "the fork server closed its output"
        reply: dict[str, Any] = json.loads(line)
        return reply


@pytest.fixture
def server(fake_runtime: str) -> Iterator[Server]:
    process = subprocess.Popen(
        [sys.executable, "-m", "brickyard.runtime.forkserver", "--target", fake_runtime],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    server = Server(process)
    try:
        ready = server.receive()
        assert ready == {"ready": True, "pid": process.pid}
        yield server
    finally:
        server.stdin.close()
        process.wait(10)
        server.stdout.close()


def request(task_dir: Path, request_id: int, code: str) -> dict[str, Any]:
    task_dir.mkdir(parents=True, exist_ok=True)
    (task_dir / "script.py").write_text(code)
    (task_dir / "spec.json").write_text(json.dumps({"python_file": str(task_dir / "script.py")}))
    return {
        "id": request_id,
        "spec": str(task_dir / "spec.json"),
        "stdout": str(task_dir / "stdout"),
        "stderr": str(task_dir / "stderr"),
        "cwd": str(task_dir),
        "env": {"GREETING": "hi"},
        "sys_path": [],
    }


def test_fork_reply_then_exit(server: Server, tmp_path: Path) -> None:
    code = "import os, sys\nprint(os.environ['GREETING'])\nsys.exit(4)\n"
    server.send(request(tmp_path / "a", 7, code))
    reply = server.receive()
    assert reply["id"] == 7
    assert isinstance(reply["pid"], int)
    assert isinstance(reply["process_start"], int)
    assert server.receive() == {"exit": reply["pid"], "status": 4}
    assert (tmp_path / "a" / "stdout").read_text() == "hi\n"


def test_a_forked_child_exits_past_an_idle_thread_pool(server: Server, tmp_path: Path) -> None:
    # Spark Connect's client leaves a ThreadPoolExecutor behind; its workers go only when
    # threading's own exit hooks run, as in a normal interpreter exit.
    code = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "import sys\n"
        "sys.kept_pool = pool = ThreadPoolExecutor(2)  # alive to the end, as a client's is\n"
        "print(pool.submit(lambda: 'done').result())\n"
        "import threading\n"
        "threading.Thread(target=lambda: None).start()\n"
    )
    server.send(request(tmp_path / "pool", 9, code))
    reply = server.receive()
    started = time.monotonic()
    assert server.receive() == {"exit": reply["pid"], "status": 0}
    assert time.monotonic() - started < 10
    assert (tmp_path / "pool" / "stdout").read_text() == "done\n"


def test_requests_in_one_write_each_get_a_reply(server: Server, tmp_path: Path) -> None:
    first = json.dumps(request(tmp_path / "a", 1, "pass\n"))
    second = json.dumps(request(tmp_path / "b", 2, "pass\n"))
    server.send(f"{first}\n{second}".encode())
    messages = [server.receive() for _ in range(4)]
    assert sorted(m["id"] for m in messages if "id" in m) == [1, 2]
    pids = {m["pid"] for m in messages if "id" in m}
    assert {m["exit"] for m in messages if "exit" in m} == pids


def test_invalid_requests_get_an_error_reply(server: Server, tmp_path: Path) -> None:
    server.send(b"not json")
    assert "invalid request" in server.receive()["error"]
    server.send({"id": 3, "spec": "/x"})
    reply = server.receive()
    assert reply["id"] == 3
    assert "'stdout'" in reply["error"]
    bad_cwd = request(tmp_path / "a", 4, "pass\n") | {"cwd": str(tmp_path / "missing")}
    server.send(bad_cwd)
    reply = server.receive()
    assert reply["id"] == 4
    assert "does not exist" in reply["error"]
    # The server is still serving.
    server.send(request(tmp_path / "b", 5, "pass\n"))
    assert server.receive()["id"] == 5


def test_server_exits_on_stdin_close_leaving_children_running(
    server: Server, tmp_path: Path
) -> None:
    code = "import time\ntime.sleep(0.5)\nopen('done', 'w').close()\n"
    server.send(request(tmp_path / "a", 1, code))
    reply = server.receive()
    server.stdin.close()
    assert server.process.wait(10) == 0
    assert is_process_alive(reply["pid"], reply["process_start"])
    deadline = time.monotonic() + 10
    while not (tmp_path / "a" / "done").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (tmp_path / "a" / "done").exists()


def test_parse_request_names_the_wrong_field() -> None:
    with pytest.raises(ValueError, match="'env'"):
        parse_request(
            json.dumps(
                {"id": 1, "spec": "s", "stdout": "o", "stderr": "e", "cwd": "c", "env": {"a": 1}}
            ).encode()
        )
    with pytest.raises(ValueError, match="'id'"):
        parse_request(b'{"id": "1"}')
