"""``%pip install``: install into a cached target folder and put it first on ``sys.path``."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from brickyard.errors import LibraryInstallationError

_COMPLETE_MARKER = ".brickyard-complete"


def pip_magic(body: str, cache_root: Path, cwd: Path, write: Callable[[str], object]) -> Path:
    """Run a ``%pip`` cell body (``install ...``) and return the folder put on ``sys.path``."""
    try:
        words = shlex.split(body)
    except ValueError as exc:
        raise LibraryInstallationError(f"%pip: cannot parse the arguments: {exc}") from None
    if not words or words[0] != "install" or len(words) < 2:
        raise LibraryInstallationError(
            f"%pip {body.strip()!r}: only '%pip install <packages>' is supported"
        )
    return install_packages(words[1:], cache_root, cwd, write)


def install_packages(
    args: list[str], cache_root: Path, cwd: Path, write: Callable[[str], object]
) -> Path:
    """``pip install --target <cache_root>/<hash of args>`` (reused when already there)."""
    resolved = [_absolute_if_path(arg, cwd) for arg in args]
    target = cache_root / _environment_key(resolved)
    if (target / _COMPLETE_MARKER).exists():
        write(f"Using the cached %pip environment {target}\n")
    else:
        _install_into(target, resolved, cwd, write)
    activate(target)
    return target


def activate(folder: Path) -> None:
    """Put ``folder`` first on ``sys.path`` (and on ``PYTHONPATH`` for subprocesses)."""
    entry = str(folder)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    existing = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = entry + (os.pathsep + existing if existing else "")
    importlib.invalidate_caches()


def _install_into(target: Path, args: list[str], cwd: Path, write: Callable[[str], object]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{os.getpid()}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
        "--target", str(staging), *args,
    ]  # fmt: skip
    write(f"pip install {shlex.join(args)}\n")
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        write(line)
    code = process.wait()
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise LibraryInstallationError(_pip_error(lines, code))
    (staging / _COMPLETE_MARKER).write_text(json.dumps(args), encoding="utf-8")
    try:
        staging.rename(target)
    except OSError:
        # Another task installed the same set meanwhile: use theirs.
        shutil.rmtree(staging, ignore_errors=True)
        if not (target / _COMPLETE_MARKER).exists():
            raise


def _pip_error(lines: list[str], code: int) -> str:
    errors = [line.strip() for line in lines if line.startswith("ERROR:")]
    if errors:
        return "%pip install failed: " + " ".join(errors)
    tail = [line.strip() for line in lines if line.strip()][-3:]
    return f"%pip install failed (pip exited with code {code}): " + " ".join(tail)


def _absolute_if_path(arg: str, cwd: Path) -> str:
    # Local files and folders (wheels, -r requirements, --find-links) become absolute, so the
    # cache key names them exactly whatever the task's working directory.
    option, equals, value = arg.partition("=")
    if equals and option.startswith("--"):
        return f"{option}={_absolute_if_path(value, cwd)}"
    if arg.startswith("-") or "://" in arg:
        return arg
    candidate = cwd / arg
    return str(candidate.resolve()) if candidate.exists() else arg


def _environment_key(args: list[str]) -> str:
    fingerprint: list[object] = [list(sys.version_info[:2]), sys.platform, args]
    for arg in args:
        path = Path(arg.partition("=")[2] if arg.startswith("--") else arg)
        if path.is_absolute() and path.is_file():
            stat = path.stat()
            # A rebuilt local wheel is a different environment.
            fingerprint.append([arg, stat.st_size, stat.st_mtime_ns])
    digest = hashlib.sha256(json.dumps(fingerprint).encode("utf-8")).hexdigest()
    return digest[:24]
