"""Where a path in a job definition (a script, a wheel, a requirements file) lives on disk.

Databricks paths come in several forms; each maps to a folder of the brickyard home:

- ``dbfs:/x`` -> ``<dbfs_root>/x``; ``dbfs:/Volumes/c/s/v/x`` and ``/Volumes/c/s/v/x`` ->
  ``<volumes_root>/c/s/v/x``;
- ``/Workspace/x`` and ``/x`` -> the workspace (then the same absolute path on the real
  filesystem), ``file:/x`` -> ``/x``, relative paths -> against the job file's folder
  (all three through :meth:`brickyard.workspace.Workspace.resolve_file`).

Remote object-store URIs (``s3://``, ``abfss://``, ``gs://``, ...) cannot be read locally.

The DBFS and Files APIs name files the same way (:func:`dbfs_api_path`, :func:`volume_path`),
so an uploaded file is where a job's ``dbfs:/`` or ``/Volumes/`` path finds it; they also
refuse a path whose symbolic links lead out of its root.
"""

from __future__ import annotations

from pathlib import Path

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.settings import Settings
from brickyard.workspace import Workspace

_DBFS = "dbfs:"
_VOLUMES = "/Volumes/"


def _under(root: Path, relative: str, original: str) -> Path:
    parts: list[str] = []
    for part in relative.split("/"):
        if part in {"", "."}:
            continue
        if part == "..":
            if not parts:
                raise InvalidInputError(f"path {original!r} points outside {root}")
            parts.pop()
        else:
            parts.append(part)
    return root.joinpath(*parts)


def is_remote_uri(path: str) -> bool:
    """Whether ``path`` names an object store or web location (not a local/DBFS/workspace path)."""
    scheme, separator, _ = path.partition("://")
    return bool(separator) and scheme.lower() not in {"file", "dbfs"} and scheme.isalnum()


def storage_path(path: str, settings: Settings) -> Path | None:
    """Where a ``dbfs:/`` or ``/Volumes/`` path lives in the brickyard home (it need not exist
    yet), or None for any other kind of path."""
    text = path.strip()
    if text.lower().startswith(_DBFS):
        text = text[len(_DBFS) :]
        if not text.startswith(_VOLUMES):
            return _under(settings.dbfs_root, text, path)
    if text.startswith(_VOLUMES):
        return _under(settings.volumes_root, text[len(_VOLUMES) :], path)
    return None


def dbfs_api_path(path: str, settings: Settings) -> Path:
    """Where a DBFS API path lives: an absolute DBFS path (``/x``, or ``dbfs:/x``), which may
    name a volume (``/Volumes/c/s/v/x``). InvalidInputError for anything else."""
    text = path.strip()
    if not text.lower().startswith(_DBFS):
        if not text.startswith("/"):
            raise InvalidInputError(
                f"Invalid path {path!r}: a DBFS path is absolute (/x or dbfs:/x)"
            )
        text = _DBFS + text
    found = storage_path(text, settings)
    assert found is not None  # every dbfs: path maps
    return _confined(found, settings, path)


def volume_path(path: str, settings: Settings) -> Path:
    """Where a Files API path lives: ``/Volumes/<catalog>/<schema>/<volume>/...``.
    InvalidInputError for any other path."""
    text = path.strip()
    if not text.startswith(_VOLUMES):
        raise InvalidInputError(
            f"Invalid path {path!r}: the Files API serves /Volumes/<catalog>/<schema>/<volume>/... "
            "paths (use the DBFS API for dbfs:/ paths)"
        )
    found = storage_path(text, settings)
    assert found is not None
    return _confined(found, settings, path)


def _confined(found: Path, settings: Settings, original: str) -> Path:
    if "\x00" in original:
        raise InvalidInputError(f"Invalid path {original!r}: it contains a NUL character")
    # ".." was refused lexically; a symbolic link inside the root must not lead out either
    resolved = found.resolve()
    for root in (settings.dbfs_root, settings.volumes_root):
        if found.is_relative_to(root):
            if not resolved.is_relative_to(root.resolve()):
                raise InvalidInputError(f"path {original!r} points outside {root}")
            return found
    raise InvalidInputError(f"path {original!r} points outside the brickyard storage")


def resolve_local_path(
    path: str, *, base_dir: Path | None, settings: Settings, workspace: Workspace
) -> Path:
    """The existing local file that ``path`` names.

    Raises :class:`NotFoundError` naming the places looked at, or :class:`InvalidInputError`
    for a path that cannot be local (a remote URI, or one that escapes its root).
    """
    text = path.strip()
    found = storage_path(text, settings)
    if found is not None:
        return _existing(found, path)
    if is_remote_uri(text):
        raise InvalidInputError(
            f"path {path!r}: remote locations cannot be read by brickyard; "
            "use a local, dbfs:/, /Volumes/ or workspace path"
        )
    return workspace.resolve_file(text, base_dir=base_dir)


def _existing(found: Path, original: str) -> Path:
    if not found.is_file():
        raise NotFoundError(f"file {original!r} not found; looked at {found}")
    return found
