"""The ``%sh`` and ``%fs`` cells of source notebooks."""

from __future__ import annotations

import dataclasses
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brickyard.runtime.dbutils.fs import FsUtils
from brickyard.runtime.exceptions import CellError


def run_shell(script: str, cwd: Path, write: Callable[[str], object], cell_number: int) -> None:
    """Run ``bash -c script``, streaming its output; a non-zero exit fails the cell."""
    process = subprocess.Popen(
        ["bash", "-c", script],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert process.stdout is not None
    for line in process.stdout:
        write(line)
    code = process.wait()
    if code != 0:
        raise CellError(f"%sh command exited with code {code} (cell {cell_number})")


_FS_COMMANDS = ("ls", "cp", "mv", "rm", "mkdirs", "head", "put")


def run_fs(body: str, fs: FsUtils, display: Callable[[Any], None], cell_number: int) -> None:
    """Run ``%fs <command> <args>`` as the matching ``dbutils.fs`` call and show the result."""
    try:
        words = shlex.split(body)
    except ValueError as exc:
        raise CellError(f"%fs in cell {cell_number}: {exc}") from None
    if not words:
        raise CellError(f"%fs in cell {cell_number} needs a command: {', '.join(_FS_COMMANDS)}")
    command, rest = words[0], words[1:]
    flags = {word for word in rest if word.startswith("-")}
    args = [word for word in rest if not word.startswith("-")]
    recurse = bool(flags & {"-r", "--recurse", "-R"})
    result: Any
    if command == "ls" and len(args) <= 1:
        entries = fs.ls(args[0] if args else "/")
        display([dataclasses.asdict(entry) for entry in entries] if entries else entries)
        return
    if command == "head" and len(args) in (1, 2):
        print(fs.head(args[0], int(args[1])) if len(args) == 2 else fs.head(args[0]))
        return
    if command in ("cp", "mv") and len(args) == 2:
        result = getattr(fs, command)(args[0], args[1], recurse=recurse)
    elif command == "rm" and len(args) == 1:
        result = fs.rm(args[0], recurse=recurse)
    elif command == "mkdirs" and len(args) == 1:
        result = fs.mkdirs(args[0])
    elif command == "put" and len(args) == 2:
        result = fs.put(args[0], args[1], overwrite=bool(flags & {"-f", "--overwrite"}))
    elif command in _FS_COMMANDS:
        raise CellError(f"%fs {command}: wrong number of arguments (cell {cell_number})")
    else:
        raise CellError(
            f"%fs {command} is not supported (cell {cell_number}); use one of "
            + ", ".join(_FS_COMMANDS)
        )
    print(result)
