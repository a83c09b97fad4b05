"""The local secret store: a JSON file ``{"scopes": {"<scope>": {"<key>": "<value>"}}}``.

Readable only by its owner (mode 0600) and always rewritten atomically. The CLI and the
Secrets API write it; ``dbutils.secrets`` reads it inside task processes.
"""

from __future__ import annotations

import json
from pathlib import Path

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.runtime.results import write_json_atomic

SecretScopes = dict[str, dict[str, str]]
_FILE_MODE = 0o600


def read_secret_store(file: Path) -> SecretScopes:
    """Every scope and its keys; an absent file is an empty store."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
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
    return {str(scope): dict(keys) for scope, keys in scopes.items()}


def _write(file: Path, scopes: SecretScopes) -> None:
    write_json_atomic(file, {"scopes": scopes}, mode=_FILE_MODE)


def create_scope(file: Path, scope: str) -> None:
    """Create an empty scope (no error when it exists)."""
    _check_name("scope", scope)
    scopes = read_secret_store(file)
    scopes.setdefault(scope, {})
    _write(file, scopes)


def delete_scope(file: Path, scope: str) -> None:
    """Delete a scope and all its secrets."""
    scopes = read_secret_store(file)
    if scope not in scopes:
        raise NotFoundError(f"Scope {scope} does not exist!")
    del scopes[scope]
    _write(file, scopes)


def put_secret(file: Path, scope: str, key: str, value: str) -> None:
    """Create or overwrite a secret (the scope is created when missing)."""
    _check_name("scope", scope)
    _check_name("key", key)
    scopes = read_secret_store(file)
    scopes.setdefault(scope, {})[key] = value
    _write(file, scopes)


def delete_secret(file: Path, scope: str, key: str) -> None:
    """Delete one secret."""
    scopes = read_secret_store(file)
    if key not in scopes.get(scope, {}):
        raise NotFoundError(f"Secret does not exist with scope: {scope} and key: {key}")
    del scopes[scope][key]
    _write(file, scopes)


def list_scopes(file: Path) -> list[str]:
    """Scope names, sorted."""
    return sorted(read_secret_store(file))


def list_keys(file: Path, scope: str) -> list[str]:
    """Secret keys of a scope, sorted."""
    scopes = read_secret_store(file)
    if scope not in scopes:
        raise NotFoundError(f"Scope {scope} does not exist!")
    return sorted(scopes[scope])


def get_secret(file: Path, scope: str, key: str) -> str:
    """One secret value."""
    scopes = read_secret_store(file)
    if scope not in scopes:
        raise NotFoundError(f"Secret scope {scope} does not exist (secret store {file})")
    if key not in scopes[scope]:
        raise NotFoundError(f"Secret does not exist with scope: {scope} and key: {key}")
    return scopes[scope][key]


def _check_name(what: str, name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInputError(f"secret {what} must be a non-empty string")
