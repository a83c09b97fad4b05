"""Typed access to a decoded protocol file, with one-line errors naming the bad field."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from brickyard.task_protocol.json_files import ProtocolError


class FieldReader:
    """Reads the fields of one decoded JSON object; ``source`` names it in errors."""

    def __init__(self, raw: Mapping[str, Any], source: str) -> None:
        self._raw = raw
        self.source = source

    def fail(self, message: str) -> ProtocolError:
        """An error about this file."""
        return ProtocolError(f"{self.source}: {message}")

    def _wrong(self, name: str, expected: str) -> ProtocolError:
        return self.fail(f"field {name!r} must be {expected}")

    def version(self, supported: int) -> int:
        """The file's ``version`` (files without one are version 1); only ``supported``."""
        version = self._raw.get("version", 1)
        if version != supported:
            raise self.fail(f"version {version!r} is not supported (expected {supported})")
        return supported

    def string(self, name: str) -> str:
        """A required string."""
        value = self._raw.get(name)
        if not isinstance(value, str):
            raise self._wrong(name, "a string")
        return value

    def optional_string(self, name: str) -> str | None:
        """A string or null (absent counts as null)."""
        value = self._raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong(name, "a string or null")
        return value

    def integer(self, name: str) -> int:
        """A required integer (booleans are not integers here)."""
        value = self._raw.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._wrong(name, "an integer")
        return value

    def optional_int(self, name: str) -> int | None:
        """An integer or null."""
        if self._raw.get(name) is None:
            return None
        return self.integer(name)

    def boolean(self, name: str) -> bool:
        """A boolean; absent or null is False."""
        value = self._raw.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self._wrong(name, "a boolean")
        return value

    def path(self, name: str) -> Path:
        """A required path."""
        return Path(self.string(name))

    def optional_path(self, name: str) -> Path | None:
        """A path or null."""
        value = self.optional_string(name)
        return None if value is None else Path(value)

    def string_list(self, name: str) -> tuple[str, ...]:
        """A list of strings; absent or null is empty."""
        value = self._raw.get(name)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._wrong(name, "a list of strings")
        return tuple(value)

    def string_map(self, name: str) -> dict[str, str]:
        """An object of strings; absent or null is empty."""
        value = self._raw.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self._wrong(name, "an object of strings")
        return dict(value)

    def task_values(self, name: str) -> dict[str, dict[str, Any]]:
        """Task values by task key: an object of objects; absent or null is empty."""
        value = self._raw.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise self._wrong(name, "an object of objects (task key -> values)")
        return {str(k): dict(v) for k, v in value.items()}
