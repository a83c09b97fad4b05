"""pid.json: written for a process, read back by recovery (also files without a version)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from brickyard.task_protocol import PidFile, ProtocolError, read_pid_file, write_pid_file
from brickyard.task_protocol.procfs import read_process_start


def test_written_for_this_process(tmp_path: Path) -> None:
    path = tmp_path / "pid.json"
    write_pid_file(path)
    assert read_pid_file(path) == PidFile(os.getpid(), read_process_start(os.getpid()))
    assert json.loads(path.read_text())["version"] == 1


def test_reads_a_file_from_before_versions(tmp_path: Path) -> None:
    path = tmp_path / "pid.json"
    path.write_text('{"pid": 41, "process_start": null}')
    assert read_pid_file(path) == PidFile(41, None)


@pytest.mark.parametrize("content", ["", "{}", '{"pid": "41"}', '{"pid": 1, "process_start": 1.5}'])
def test_damaged_files_raise(tmp_path: Path, content: str) -> None:
    path = tmp_path / "pid.json"
    path.write_text(content)
    with pytest.raises(ProtocolError):
        read_pid_file(path)
