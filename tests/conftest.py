"""Fixtures shared by every test package."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest


def build_wheel(
    folder: Path,
    name: str,
    version: str = "0.1.0",
    *,
    module_source: str = "VALUE = 1\n",
    entry_points: dict[str, str] | None = None,
) -> Path:
    """Write a minimal pure-Python wheel ``<name>-<version>-py3-none-any.whl`` into ``folder``."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": module_source,
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: brickyard-tests\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ),
    }
    if entry_points:
        lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
        files[f"{dist_info}/entry_points.txt"] = f"[console_scripts]\n{lines}"
    record = []
    for path, text in files.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = "\n".join(record) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


@pytest.fixture
def wheel_builder() -> Callable[..., Path]:
    return build_wheel
