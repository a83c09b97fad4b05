"""JSON files that readers in other processes see whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


class ProtocolError(ValueError):
    """A protocol file is missing, not JSON, of an unknown version or has a bad field."""


def write_json_atomic(path: Path, payload: Any, mode: int | None = None) -> None:
    """Write ``payload`` as JSON so that readers see the old file or the new one, never half.

    The temporary file lives in the same folder, so ``os.replace`` is a rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, default=str)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def read_json_object(path: Path, what: str) -> dict[str, Any]:
    """The JSON object in ``path``; :class:`ProtocolError` when it cannot be read or is not
    an object (``what`` names the file in the message)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProtocolError(f"{path}: cannot read the {what}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ProtocolError(f"{path}: the {what} must be a JSON object")
    return raw
