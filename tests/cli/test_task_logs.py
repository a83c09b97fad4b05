"""Reading task logs as they grow: the last line for the live progress, and new text for
``runs logs --follow``."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

from rich.console import Console

from brickyard.cli.live_tasks import LiveTasks, elapsed
from brickyard.cli.task_logs import LogTail, last_log_line


def test_last_log_line_is_from_the_file_written_last(tmp_path: Path) -> None:
    assert last_log_line(tmp_path) == ""
    (tmp_path / "stdout.log").write_text("loading\nrow 10\n\n")
    (tmp_path / "stderr.log").write_text("a warning\n")
    os.utime(tmp_path / "stdout.log", ns=(1_000_000_000, 1_000_000_000))
    assert last_log_line(tmp_path) == "a warning"
    os.utime(tmp_path / "stderr.log", ns=(500_000_000, 500_000_000))
    assert last_log_line(tmp_path) == "row 10"


def test_last_log_line_reads_only_the_end_and_shortens_long_lines(tmp_path: Path) -> None:
    (tmp_path / "stdout.log").write_text("x" * 1_000_000 + "\n" + "y" * 500 + "\n")
    line = last_log_line(tmp_path)
    assert line.startswith("yyy") and line.endswith("…") and len(line) == 160


def test_log_tail_returns_only_what_was_appended(tmp_path: Path) -> None:
    path = tmp_path / "stdout.log"
    tail = LogTail(path)
    assert tail.read_new() == ""  # not written yet
    path.write_bytes("début ".encode() + "é".encode()[:1])  # half a character
    assert tail.read_new() == "début "
    with path.open("ab") as file:
        file.write("é".encode()[1:] + b" fin\n")
    assert tail.read_new() == "é fin\n"
    assert tail.read_new() == ""


def test_live_tasks_show_elapsed_time_and_the_last_line(tmp_path: Path) -> None:
    now = [1000.0]
    (tmp_path / "stdout.log").write_text("step 2 of 3\n")
    output = io.StringIO()
    console = Console(file=output, force_terminal=True, width=100, color_system=None)
    live = LiveTasks(console, threading.Lock(), key_width=6, clock=lambda: now[0])
    live.started("ingest", 0, 995_000, str(tmp_path))
    live.started("other", 1, 0, None)
    now[0] = 1003.5

    shown = {task.key: task for task in live.snapshot()}

    assert shown["ingest"].seconds == 8.5 and shown["ingest"].last_line == "step 2 of 3"
    assert shown["other"].seconds == 3.5 and shown["other"].last_line == ""
    console.print(live._render())
    assert "ingest running    8.5s step 2 of 3" in output.getvalue()
    live.ended("ingest")
    assert [task.key for task in live.snapshot()] == ["other"]


def test_elapsed_reads_well_at_every_scale() -> None:
    assert [elapsed(s) for s in (4.24, 187, 3720)] == ["4.2s", "3m07s", "1h02m"]
