"""Finding the notebook or file a task or ``%run`` names: a workspace path, a path relative to a
job file or the calling notebook, or a ``file:`` path, tried with each notebook extension."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.workspace.layout import WorkspaceLayout, with_suffix
from brickyard.workspace.notebook_files import (
    NOTEBOOK_EXTENSIONS,
    NotebookFormat,
    NotebookLanguage,
    detect_notebook,
    strip_notebook_extension,
)
from brickyard.workspace.paths import is_within, normalize_local, scheme_of


@dataclass(frozen=True)
class ResolvedNotebook:
    """A notebook found on disk, with what a runner needs to know about it."""

    file: Path
    """The absolute path of the notebook file (with its extension)."""
    workspace_path: str | None
    """The workspace path without extension (``/ETL/00_Validate``), or None when the notebook
    lives outside the workspace (a path relative to a job file, or an absolute file path)."""
    language: NotebookLanguage
    """The notebook's default language."""
    format: NotebookFormat
    """Source format or Jupyter."""


def resolve_notebook(
    layout: WorkspaceLayout, path: str, *, base_dir: Path | None = None
) -> ResolvedNotebook:
    """Find the notebook ``path`` names.

    - ``/ETL/x`` and ``/Workspace/ETL/x``: the workspace, then (when absent there) the same
      path on the real filesystem;
    - ``./x``, ``../x``, ``x/y``: relative to ``base_dir`` (the job file's folder or the
      calling notebook's folder; the current directory when None);
    - ``file:/abs/x``: the real filesystem only.

    Each place is tried as given, then with ``.py``, ``.ipynb``, ``.sql``, ``.scala``,
    ``.r`` appended. Raises :class:`NotFoundError` naming the places looked at.
    """
    places = _candidate_places(layout, path, base_dir=base_dir, kind="notebook")
    looked_at: list[str] = []
    not_notebooks: list[Path] = []
    for place in places:
        for candidate in (place, *(with_suffix(place, ext) for ext in NOTEBOOK_EXTENSIONS)):
            if not candidate.is_file():
                continue
            detected = detect_notebook(candidate)
            if detected is None:
                not_notebooks.append(candidate)
                continue
            language, notebook_format = detected
            workspace_path = layout.workspace_path_of(candidate)
            if workspace_path is not None:
                # Addressed as a notebook, even a .py without the header drops its extension.
                workspace_path = strip_notebook_extension(workspace_path)
            return ResolvedNotebook(
                file=candidate.absolute(),
                workspace_path=workspace_path,
                language=language,
                format=notebook_format,
            )
        looked_at.append(f"{place}[{'|'.join(NOTEBOOK_EXTENSIONS)}]")
    reason = f"notebook {path!r} not found; looked at {', '.join(looked_at)}"
    if not_notebooks:
        found = ", ".join(str(file) for file in not_notebooks)
        reason += f" (found {found}, which is not a notebook: no notebook extension or header)"
    raise NotFoundError(reason)


def resolve_file(layout: WorkspaceLayout, path: str, *, base_dir: Path | None = None) -> Path:
    """Find the file ``path`` names (a Python script, a wheel, ...), with the same path rules
    as :func:`resolve_notebook` but no extension guessing. ``dbfs:/`` paths are not handled
    here. Raises :class:`NotFoundError` naming the places looked at."""
    places = _candidate_places(layout, path, base_dir=base_dir, kind="file")
    for place in places:
        if place.is_file():
            return place.absolute()
    looked_at = ", ".join(str(place) for place in places)
    raise NotFoundError(f"file {path!r} not found; looked at {looked_at}")


def _candidate_places(
    layout: WorkspaceLayout, path: str, *, base_dir: Path | None, kind: str
) -> list[Path]:
    if not path.strip():
        raise InvalidInputError(f"the {kind} path is empty")
    scheme = scheme_of(path)
    if scheme == "file":
        local = path[len("file:") :]
        if not local.startswith("/"):
            raise InvalidInputError(f"{kind} path {path!r}: file: paths must be absolute")
        return [Path(local)]
    if scheme is not None:
        raise InvalidInputError(
            f"{kind} path {path!r}: {scheme}: paths are not workspace or local file paths"
        )
    if path.startswith("/"):
        places = [layout.local_path(path)]
        filesystem = Path(path)
        if filesystem != places[0]:
            places.append(filesystem)
        return places
    folder = Path(base_dir).absolute() if base_dir is not None else Path.cwd()
    resolved = Path(normalize_local(folder / path))
    if is_within(folder, layout.root) and not is_within(resolved, layout.root):
        raise InvalidInputError(
            f"{kind} path {path!r} relative to {folder} points outside the workspace root"
        )
    return [resolved]
