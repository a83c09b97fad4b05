"""Where ``dbutils.fs`` paths live on the local disk.

``dbfs:/x`` and ``/x`` live under ``dbfs_root``; ``/Volumes/c/s/v/...`` (also with ``dbfs:``)
under ``volumes_root``; ``/Workspace/...`` under ``workspace_root``; ``file:/x`` is ``/x``.
A path may not climb above its root with ``..``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from brickyard.runtime.context import RuntimePaths

_CLOUD_SCHEMES = ("s3:", "s3a:", "s3n:", "abfss:", "abfs:", "wasbs:", "wasb:", "gs:", "adl:")


@dataclass(frozen=True)
class FsPath:
    """A resolved ``dbutils.fs`` path: the local file and the URI to show for it."""

    local: Path
    uri: str

    def child(self, name: str, is_dir: bool) -> FsPath:
        """The entry ``name`` of this directory; directory URIs end with ``/``."""
        base = self.uri if self.uri.endswith("/") else self.uri + "/"
        return FsPath(self.local / name, base + name + ("/" if is_dir else ""))


def resolve_fs_path(path: str, paths: RuntimePaths) -> FsPath:
    """Map a DBFS / Volumes / Workspace / local path to the local disk."""
    if not isinstance(path, str) or not path:
        raise ValueError("a dbutils.fs path must be a non-empty string")
    lowered = path.lower()
    if lowered.startswith(_CLOUD_SCHEMES):
        raise ValueError(
            f"{path}: cloud storage paths are not supported by brickyard; use dbfs:/, "
            "/Volumes/... or file:/ paths"
        )
    if lowered.startswith("file:"):
        rest = path[len("file:") :]
        # file:///x and file:/x both mean /x.
        local = "/" + rest.lstrip("/")
        parts = _normalised_parts(local, path)
        return FsPath(Path("/", *parts), "file:/" + "/".join(parts))
    rest = path[len("dbfs:") :] if lowered.startswith("dbfs:") else path
    parts = _normalised_parts(rest, path)
    if parts[:1] == ["Volumes"]:
        return FsPath(Path(paths.volumes_root, *parts[1:]), "dbfs:/" + "/".join(parts))
    if parts[:1] == ["Workspace"]:
        return FsPath(Path(paths.workspace_root, *parts[1:]), "file:/" + "/".join(parts))
    return FsPath(Path(paths.dbfs_root, *parts), "dbfs:/" + "/".join(parts))


def _normalised_parts(rest: str, original: str) -> list[str]:
    parts: list[str] = []
    for part in rest.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if len(parts) <= _protected_depth(parts):
                raise ValueError(f"{original}: the path climbs above its root with '..'")
            parts.pop()
            continue
        parts.append(part)
    return parts


def _protected_depth(parts: list[str]) -> int:
    # ".." may not leave /Volumes or /Workspace for the DBFS root either.
    return 1 if parts[:1] in (["Volumes"], ["Workspace"]) else 0
