"""The one /proc/<pid>/stat parser."""

from __future__ import annotations

import os
from pathlib import Path

from brickyard.task_protocol.procfs import (
    ProcessStat,
    parse_process_stat,
    read_process_start,
    read_process_stat,
)

# Fields 3..22 after a command name with spaces and parentheses; field 22 is 98765.
_AFTER_NAME = "S 1 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 200"


def test_parses_after_the_last_parenthesis() -> None:
    stat = parse_process_stat(f"123 (my (odd) name) {_AFTER_NAME}\n")
    assert stat == ProcessStat(state="S", start_ticks=98765)
    assert not stat.is_gone


def test_zombies_are_gone() -> None:
    stat = parse_process_stat(f"9 (x) Z{_AFTER_NAME[1:]}")
    assert stat is not None and stat.is_gone


def test_short_or_malformed_text_is_none() -> None:
    assert parse_process_stat("123 (x) S 1 2") is None
    assert parse_process_stat(f"1 (x) {_AFTER_NAME.replace('98765', 'later')}") is None


def test_process_start_of_this_process() -> None:
    if not Path("/proc").exists():
        assert read_process_start(os.getpid()) is None
    else:
        own = read_process_stat(os.getpid())
        assert own is not None and own.state in {"R", "S"}
        assert read_process_start(os.getpid()) == own.start_ticks
        assert read_process_start(2**22 + 12345) is None
