"""The Spark runtime fails fast, naming the master, when a standalone master does not answer
(Spark itself would retry for a minute first); a master that listens, or local mode, passes."""

from __future__ import annotations

import socket

import pytest

from brickyard.clusters.runtime import ClusterStartError
from brickyard.clusters.spark_runtime import check_master_answers


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_master_that_does_not_answer_is_named() -> None:
    master = f"spark://127.0.0.1:{_closed_port()}"
    with pytest.raises(ClusterStartError, match=f"the Spark master {master} does not answer"):
        check_master_answers(master)


def test_a_listening_master_or_local_mode_passes() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        check_master_answers(f"spark://127.0.0.1:{_closed_port()},127.0.0.1:{port}")
    check_master_answers("local[2]")


def test_a_malformed_master_is_an_error_not_a_crash() -> None:
    with pytest.raises(ClusterStartError, match="spark://nohostport"):
        check_master_answers("spark://nohostport")
