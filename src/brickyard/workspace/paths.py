"""Workspace path rules: ``/Workspace/X`` is ``/X``, ``..`` applied lexically, URL schemes
told apart from paths. Standard library only (the task runtime uses them)."""

from __future__ import annotations

from pathlib import Path

from brickyard.errors import InvalidInputError

WORKSPACE_PREFIX = "/Workspace"
"""The FUSE-style prefix Databricks accepts in front of workspace paths."""


def normalize_workspace_path(path: str) -> str:
    """Return the canonical form of a workspace path: ``/a/b``, without ``/Workspace``.

    ``.`` segments and doubled slashes are dropped and ``..`` segments applied; a path that is
    not absolute, or whose ``..`` would climb above the workspace root, is rejected.
    """
    if not path.startswith("/"):
        raise InvalidInputError(f"workspace path {path!r} must be absolute (start with '/')")
    if "\x00" in path:
        raise InvalidInputError(f"workspace path {path!r} contains a NUL character")
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                raise InvalidInputError(
                    f"workspace path {path!r} points outside the workspace root"
                )
            parts.pop()
            continue
        parts.append(segment)
    if parts and parts[0] == WORKSPACE_PREFIX[1:]:
        parts = parts[1:]
    return "/" + "/".join(parts)


def is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def scheme_of(path: str) -> str | None:
    head, separator, _ = path.partition(":")
    # RFC 3986 scheme; one letter would be a Windows drive, which is not a scheme.
    is_scheme = head[:1].isalpha() and all(c.isalnum() or c in "+-." for c in head)
    if separator and is_scheme and len(head) > 1:
        return head.lower()
    return None


def normalize_local(path: Path) -> str:
    """Apply ``..`` and ``.`` lexically (the way a path string reads, not through symlinks)."""
    parts: list[str] = []
    for part in path.parts[1:]:
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return path.parts[0] + "/".join(parts)
