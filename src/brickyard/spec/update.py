"""``jobs/update``: partial settings merged into the current ones (jobs-api.md §2.4).

Top-level fields of ``new_settings`` replace the current ones wholesale, except the keyed
arrays, whose entries are merged by key: a listed entry replaces the entry with the same key,
the others stay. ``fields_to_remove`` names top-level fields, or single entries of the keyed
arrays as ``tasks/<task_key>``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from brickyard.errors import InvalidInputError

KEYED_ARRAYS: Final[dict[str, str]] = {
    "tasks": "task_key",
    "job_clusters": "job_cluster_key",
    "environments": "environment_key",
    "parameters": "name",
}
"""The arrays merged entry by entry, and the field that keys their entries."""


def merge_job_settings(
    current: Mapping[str, Any],
    new_settings: Mapping[str, Any],
    fields_to_remove: Sequence[str] = (),
) -> dict[str, Any]:
    """The settings after an update: removals first, then ``new_settings`` merged in."""
    merged = dict(current)
    for index, field in enumerate(fields_to_remove):
        _remove(merged, field, f"fields_to_remove[{index}]")
    for field, value in new_settings.items():
        key_field = KEYED_ARRAYS.get(field)
        if key_field is not None and isinstance(value, list) and field in merged:
            merged[field] = _merge_entries(merged.get(field) or [], value, field, key_field)
        else:
            merged[field] = value
    return merged


def _remove(settings: dict[str, Any], field: str, where: str) -> None:
    if not isinstance(field, str) or not field:
        raise InvalidInputError(f"{where}: expected a field name such as 'schedule'")
    array, slash, key = field.partition("/")
    if not slash:
        settings.pop(field, None)
        return
    key_field = KEYED_ARRAYS.get(array)
    if key_field is None or not key:
        raise InvalidInputError(
            f"{where}: cannot remove {field!r}: only top-level fields and entries of "
            f"{', '.join(KEYED_ARRAYS)} (as 'tasks/<task_key>') can be removed"
        )
    entries = settings.get(array) or []
    kept = [e for e in entries if not (isinstance(e, dict) and e.get(key_field) == key)]
    if len(kept) == len(entries):
        raise InvalidInputError(f"{where}: the job has no {array} entry with {key_field} {key!r}")
    settings[array] = kept


def _merge_entries(current: list[Any], updates: list[Any], field: str, key_field: str) -> list[Any]:
    merged = list(current)
    position = {
        entry.get(key_field): index for index, entry in enumerate(merged) if isinstance(entry, dict)
    }
    for index, entry in enumerate(updates):
        key = entry.get(key_field) if isinstance(entry, dict) else None
        if key is None:
            raise InvalidInputError(f"new_settings.{field}[{index}]: missing {key_field}")
        if key in position:
            merged[position[key]] = entry
        else:
            position[key] = len(merged)
            merged.append(entry)
    return merged


PAUSED: Final = "PAUSED"
UNPAUSED: Final = "UNPAUSED"


def pausable_entries(settings: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The objects of job settings that carry a ``pause_status``, with their field path:
    ``schedule``, ``trigger``, ``continuous`` and each ``triggers[]`` entry."""
    for key in ("schedule", "trigger", "continuous"):
        value = settings.get(key)
        if isinstance(value, dict):
            yield key, value
    for index, entry in enumerate(settings.get("triggers") or []):
        if isinstance(entry, dict):
            yield f"triggers[{index}]", entry


def active_trigger_paths(settings: Mapping[str, Any]) -> list[str]:
    """The pausable entries of ``settings`` that are not paused (a missing ``pause_status``
    means UNPAUSED, as in Databricks): what a running server fires."""
    return [
        path
        for path, entry in pausable_entries(settings)
        if entry.get("pause_status", UNPAUSED) != PAUSED
    ]


def with_pause_status(
    settings: Mapping[str, Any], status: str
) -> tuple[dict[str, Any], list[str], list[str]]:
    """A copy of ``settings`` with ``pause_status`` = ``status`` on every pausable entry, the
    paths that changed, and every pausable path. A missing ``pause_status`` means UNPAUSED."""
    updated = copy.deepcopy(dict(settings))
    changed: list[str] = []
    paths: list[str] = []
    for path, entry in pausable_entries(updated):
        paths.append(path)
        if entry.get("pause_status", UNPAUSED) != status:
            changed.append(path)
        entry["pause_status"] = status
    return updated, changed, paths


def keep_pause_status(settings: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` from a job file, with the stored ``pause_status`` of every schedule and
    trigger the file leaves unset: running a job file again must not resume what
    ``brickyard jobs pause`` paused."""
    stored_status = {
        path: entry["pause_status"]
        for path, entry in pausable_entries(stored)
        if "pause_status" in entry
    }
    kept = copy.deepcopy(dict(settings))
    for path, entry in pausable_entries(kept):
        if "pause_status" not in entry and path in stored_status:
            entry["pause_status"] = stored_status[path]
    return kept
