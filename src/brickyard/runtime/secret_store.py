"""The local secret store: a JSON file ``{"scopes": {"<scope>": {"<key>": "<value>"}}}``.

Readable only by its owner (mode 0600) and always rewritten atomically. The CLI and the
Secrets API write it; ``dbutils.secrets`` reads it inside task processes.

When the writer gives the time (``now_ms``), the file also holds
``"last_updated": {"<scope>": {"<key>": <epoch ms>}}`` for the Secrets API's listing; readers
that know only ``scopes`` ignore it. Writes in one process are serialized by a lock, so
concurrent API calls do not lose each other's changes.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.errors import ConflictError, InvalidInputError, NotFoundError
from brickyard.task_protocol import write_json_atomic

SecretScopes = dict[str, dict[str, str]]
UpdateTimes = dict[str, dict[str, int]]
_FILE_MODE = 0o600
_WRITE_LOCK = threading.Lock()


class SecretNotFoundError(NotFoundError):
    """A secret scope or key does not exist (the Secrets API answers 404
    ``RESOURCE_DOES_NOT_EXIST``)."""

    error_code = "RESOURCE_DOES_NOT_EXIST"


@dataclass(frozen=True)
class SecretEntry:
    """One secret of a scope as listed: never its value."""

    key: str
    last_updated_timestamp: int | None
    """When it was last written (epoch ms), None when the writer did not say."""


def read_secret_store(file: Path) -> SecretScopes:
    """Every scope and its keys; an absent file is an empty store."""
    return _read_document(file)[0]


def _read_document(file: Path) -> tuple[SecretScopes, UpdateTimes]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, {}
    except OSError as exc:
        raise InvalidInputError(f"{file}: cannot read the secret store: {exc}") from exc
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise InvalidInputError(f"{file}: the secret store is not valid JSON: {exc}") from exc
    scopes = raw.get("scopes") if isinstance(raw, dict) else None
    if not isinstance(scopes, dict) or not all(
        isinstance(keys, dict) and all(isinstance(v, str) for v in keys.values())
        for keys in scopes.values()
    ):
        raise InvalidInputError(
            f'{file}: the secret store must look like {{"scopes": {{"<scope>": {{"<key>": '
            '"<value>"}}}}'
        )
    scopes_read = {str(scope): dict(keys) for scope, keys in scopes.items()}
    return scopes_read, _update_times(raw.get("last_updated"))


def _update_times(raw: Any) -> UpdateTimes:
    # Metadata only: entries of the wrong shape are dropped rather than failing every read.
    if not isinstance(raw, dict):
        return {}
    times: UpdateTimes = {}
    for scope, keys in raw.items():
        if isinstance(keys, dict):
            valid = {str(k): v for k, v in keys.items() if type(v) is int}
            if valid:
                times[str(scope)] = valid
    return times


def _write(file: Path, scopes: SecretScopes, times: UpdateTimes) -> None:
    kept = {
        scope: {key: ms for key, ms in keys.items() if key in scopes.get(scope, {})}
        for scope, keys in times.items()
    }
    kept = {scope: keys for scope, keys in kept.items() if keys}
    document: dict[str, Any] = {"scopes": scopes}
    if kept:
        document["last_updated"] = kept
    write_json_atomic(file, document, mode=_FILE_MODE)


def create_scope(file: Path, scope: str, *, exist_ok: bool = True) -> None:
    """Create an empty scope; an existing one is kept as it is with ``exist_ok``, else
    :class:`ConflictError`."""
    _check_name("scope", scope)
    with _WRITE_LOCK:
        scopes, times = _read_document(file)
        if scope in scopes and not exist_ok:
            raise ConflictError(f"Scope {scope} already exists!")
        scopes.setdefault(scope, {})
        _write(file, scopes, times)


def delete_scope(file: Path, scope: str) -> None:
    """Delete a scope and all its secrets."""
    with _WRITE_LOCK:
        scopes, times = _read_document(file)
        if scope not in scopes:
            raise SecretNotFoundError(f"Scope {scope} does not exist!")
        del scopes[scope]
        _write(file, scopes, times)


def put_secret(
    file: Path,
    scope: str,
    key: str,
    value: str,
    *,
    now_ms: int | None = None,
    create_scope: bool = True,
) -> None:
    """Create or overwrite a secret. A missing scope is created, or with ``create_scope=False``
    is a :class:`SecretNotFoundError`. ``now_ms`` is recorded as the secret's update time
    (without it the secret has none)."""
    _check_name("scope", scope)
    _check_name("key", key)
    with _WRITE_LOCK:
        scopes, times = _read_document(file)
        if scope not in scopes and not create_scope:
            raise SecretNotFoundError(f"Scope {scope} does not exist!")
        scopes.setdefault(scope, {})[key] = value
        if now_ms is None:
            times.get(scope, {}).pop(key, None)
        else:
            times.setdefault(scope, {})[key] = now_ms
        _write(file, scopes, times)


def delete_secret(file: Path, scope: str, key: str) -> None:
    """Delete one secret."""
    with _WRITE_LOCK:
        scopes, times = _read_document(file)
        if key not in scopes.get(scope, {}):
            raise SecretNotFoundError(f"Secret does not exist with scope: {scope} and key: {key}")
        del scopes[scope][key]
        _write(file, scopes, times)


def list_scopes(file: Path) -> list[str]:
    """Scope names, sorted."""
    return sorted(read_secret_store(file))


def list_keys(file: Path, scope: str) -> list[str]:
    """Secret keys of a scope, sorted."""
    return [entry.key for entry in list_secrets(file, scope)]


def list_secrets(file: Path, scope: str) -> list[SecretEntry]:
    """The secrets of a scope (keys and update times, never values), sorted by key."""
    scopes, times = _read_document(file)
    if scope not in scopes:
        raise SecretNotFoundError(f"Scope {scope} does not exist!")
    updated = times.get(scope, {})
    return [SecretEntry(key, updated.get(key)) for key in sorted(scopes[scope])]


def get_secret(file: Path, scope: str, key: str) -> str:
    """One secret value."""
    scopes = read_secret_store(file)
    if scope not in scopes:
        raise SecretNotFoundError(f"Secret scope {scope} does not exist (secret store {file})")
    if key not in scopes[scope]:
        raise SecretNotFoundError(f"Secret does not exist with scope: {scope} and key: {key}")
    return scopes[scope][key]


def _check_name(what: str, name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(f"secret {what} must be a non-empty string")
