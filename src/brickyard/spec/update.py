"""``jobs/update``: partial settings merged into the current ones (jobs-api.md §2.4).

Top-level fields of ``new_settings`` replace the current ones wholesale, except the keyed
arrays, whose entries are merged by key: a listed entry replaces the entry with the same key,
the others stay. ``fields_to_remove`` names top-level fields, or single entries of the keyed
arrays as ``tasks/<task_key>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


_PAUSABLE: Final = ("schedule", "trigger", "continuous")


def keep_pause_status(settings: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` from a job file, with the stored ``pause_status`` of every schedule and
    trigger the file leaves unset: running a job file again must not resume what
    ``brickyard jobs pause`` paused."""
    kept = dict(settings)
    for name in _PAUSABLE:
        kept[name] = _with_stored_pause(kept.get(name), stored.get(name))
    file_entries, stored_entries = kept.get("triggers"), stored.get("triggers")
    if isinstance(file_entries, list) and isinstance(stored_entries, list):
        kept["triggers"] = [
            _with_stored_pause(
                entry, stored_entries[index] if index < len(stored_entries) else None
            )
            for index, entry in enumerate(file_entries)
        ]
    return {key: value for key, value in kept.items() if key in settings}


def _with_stored_pause(entry: Any, stored: Any) -> Any:
    if not isinstance(entry, Mapping) or not isinstance(stored, Mapping):
        return entry
    if "pause_status" in entry or "pause_status" not in stored:
        return entry
    return {**entry, "pause_status": stored["pause_status"]}
