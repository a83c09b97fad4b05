"""Load a job definition from a ``.json``, ``.yml`` or ``.yaml`` file.

Accepted shapes: plain JobSettings; a jobs/get response (``{"job_id": ..., "settings": {...}}``);
a bundle-style document with ``resources.jobs.<key>`` (``${...}`` bundle interpolation is not
done: strings are left alone). An Azure Data Factory pipeline is recognised and refused with a
clear message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from brickyard.errors import JobFileError
from brickyard.spec.job import JobSettings
from brickyard.spec.validation import parse_job_settings

JSON_SUFFIXES = frozenset({".json"})
YAML_SUFFIXES = frozenset({".yml", ".yaml"})

# Bundle-only keys of a ``resources.jobs.<key>`` entry that are not JobSettings fields.
_BUNDLE_ONLY_KEYS = ("permissions",)


@dataclass(frozen=True)
class LoadedJob:
    """A job read from a file: its settings, the file and the folder relative paths start from."""

    settings: JobSettings
    path: Path
    base_dir: Path
    job_key: str | None = None
    """The ``resources.jobs`` key when the file is a bundle, else None."""


class _JobYamlLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: ``2026-11-21`` is a parameter value, not a date."""


_JobYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_job_file(path: Path, *, job_key: str | None = None) -> LoadedJob:
    """Read, recognise and validate the job in ``path``.

    ``job_key`` picks the job of a bundle file that defines several. Raises
    :class:`~brickyard.errors.JobFileError` when the file cannot be read or has the wrong shape,
    and :class:`~brickyard.errors.JobValidationError` (``source`` = the path) when the job is
    invalid.
    """
    path = Path(path).absolute()
    document = _read_document(path)
    if not isinstance(document, Mapping):
        raise JobFileError(f"{path}: the top level must be an object, got {_kind(document)}")
    raw, found_key = _job_mapping(document, path, job_key)
    settings = parse_job_settings(raw, source=str(path))
    return LoadedJob(settings=settings, path=path, base_dir=path.parent, job_key=found_key)


def _read_document(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix not in JSON_SUFFIXES | YAML_SUFFIXES:
        raise JobFileError(f"{path}: unsupported file type {suffix or '(none)'}; use .json or .yml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise JobFileError(f"{path}: is a directory, not a job file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JobFileError(f"{path}: cannot read the file: {exc}") from None
    if suffix in JSON_SUFFIXES:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise JobFileError(
                f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    try:
        return yaml.load(text, Loader=_JobYamlLoader)
    except yaml.YAMLError as exc:
        raise JobFileError(f"{path}: invalid YAML{_yaml_position(exc)}") from None


def _yaml_position(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return f": {problem}"
    return f" at line {mark.line + 1}, column {mark.column + 1}: {problem}"


def _kind(value: Any) -> str:
    if value is None:
        return "an empty document"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _job_mapping(
    document: Mapping[str, Any], path: Path, job_key: str | None
) -> tuple[Mapping[str, Any], str | None]:
    """The raw JobSettings inside whatever shape the file has, and its bundle key."""
    properties = document.get("properties")
    if isinstance(properties, Mapping) and "activities" in properties:
        raise JobFileError(
            f"{path}: this is an Azure Data Factory pipeline (properties.activities), "
            "which brickyard does not run as a job file; write the job as Jobs API JSON or "
            "bundle YAML, or let Data Factory call brickyard's Jobs API"
        )
    resources = document.get("resources")
    if isinstance(resources, Mapping) and "jobs" in resources:
        return _bundle_job(resources["jobs"], path, job_key)
    if job_key is not None:
        raise JobFileError(
            f"{path}: job key {job_key!r} given, but the file is not a bundle (no resources.jobs)"
        )
    settings = document.get("settings")
    if "job_id" in document and isinstance(settings, Mapping):
        return settings, None
    return document, None


def _bundle_job(jobs: Any, path: Path, job_key: str | None) -> tuple[Mapping[str, Any], str | None]:
    if not isinstance(jobs, Mapping) or not jobs:
        raise JobFileError(f"{path}: resources.jobs defines no jobs")
    keys = ", ".join(str(key) for key in jobs)
    if job_key is None:
        if len(jobs) > 1:
            raise JobFileError(
                f"{path}: the bundle defines several jobs ({keys}); choose one by its key"
            )
        job_key = str(next(iter(jobs)))
    elif job_key not in jobs:
        raise JobFileError(f"{path}: the bundle has no job {job_key!r} (jobs: {keys})")
    job = jobs[job_key]
    if not isinstance(job, Mapping):
        raise JobFileError(f"{path}: resources.jobs.{job_key} must be an object")
    return {k: v for k, v in job.items() if k not in _BUNDLE_ONLY_KEYS}, job_key
