from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from brickyard import secret_store
from brickyard.errors import ConflictError, InvalidInputError, NotFoundError


def test_put_list_get_delete(tmp_path: Path) -> None:
    store = tmp_path / "home" / "secrets.json"
    assert secret_store.list_scopes(store) == []
    secret_store.put_secret(store, "prod", "b", "2")
    secret_store.put_secret(store, "prod", "a", "1")
    secret_store.put_secret(store, "prod", "a", "1b")
    assert secret_store.list_scopes(store) == ["prod"]
    assert secret_store.list_keys(store, "prod") == ["a", "b"]
    assert secret_store.get_secret(store, "prod", "a") == "1b"
    assert json.loads(store.read_text()) == {"scopes": {"prod": {"a": "1b", "b": "2"}}}
    secret_store.delete_secret(store, "prod", "a")
    assert secret_store.list_keys(store, "prod") == ["b"]
    with pytest.raises(NotFoundError, match="scope: prod and key: a"):
        secret_store.delete_secret(store, "prod", "a")


def test_file_is_private(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    secret_store.put_secret(store, "s", "k", "v")
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [store]  # no temporary file left behind


def test_scopes_create_and_delete(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    secret_store.create_scope(store, "empty")
    assert secret_store.list_keys(store, "empty") == []
    secret_store.delete_scope(store, "empty")
    assert secret_store.list_scopes(store) == []
    with pytest.raises(NotFoundError, match="Scope empty does not exist"):
        secret_store.delete_scope(store, "empty")


def test_invalid_store_and_names(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    store.write_text('{"scopes": {"s": {"k": 1}}}')
    with pytest.raises(InvalidInputError, match="secret store must look like"):
        secret_store.list_scopes(store)
    store.write_text("not json")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        secret_store.list_scopes(store)
    with pytest.raises(InvalidInputError, match="scope must be a non-empty string"):
        secret_store.put_secret(tmp_path / "other.json", " ", "k", "v")


def test_update_times_are_kept_beside_the_scopes(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    secret_store.create_scope(store, "app")
    secret_store.put_secret(store, "app", "a", "1", now_ms=1_000)
    secret_store.put_secret(store, "app", "b", "2", now_ms=2_000)
    secret_store.put_secret(store, "app", "c", "3")
    assert secret_store.list_secrets(store, "app") == [
        secret_store.SecretEntry("a", 1_000),
        secret_store.SecretEntry("b", 2_000),
        secret_store.SecretEntry("c", None),
    ]
    assert json.loads(store.read_text()) == {
        "scopes": {"app": {"a": "1", "b": "2", "c": "3"}},
        "last_updated": {"app": {"a": 1_000, "b": 2_000}},
    }
    # A write that does not give the time forgets the old one rather than keep a wrong one.
    secret_store.put_secret(store, "app", "a", "1b")
    secret_store.delete_secret(store, "app", "b")
    assert json.loads(store.read_text()) == {"scopes": {"app": {"a": "1b", "c": "3"}}}
    assert secret_store.get_secret(store, "app", "a") == "1b"


def test_update_times_of_the_wrong_shape_are_ignored(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    store.write_text(
        json.dumps(
            {
                "scopes": {"s": {"k": "v", "j": "w"}},
                "last_updated": {"s": {"k": "yesterday", "j": 5}, "t": 3},
            }
        )
    )
    assert secret_store.list_secrets(store, "s") == [
        secret_store.SecretEntry("j", 5),
        secret_store.SecretEntry("k", None),
    ]
    assert secret_store.get_secret(store, "s", "k") == "v"


def test_strict_scope_creation_and_puts(tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    secret_store.create_scope(store, "s", exist_ok=False)
    secret_store.create_scope(store, "s")  # exist_ok by default, as before
    with pytest.raises(ConflictError, match="Scope s already exists!"):
        secret_store.create_scope(store, "s", exist_ok=False)
    with pytest.raises(secret_store.SecretNotFoundError, match="Scope other does not exist!"):
        secret_store.put_secret(store, "other", "k", "v", create_scope=False)
    assert secret_store.list_scopes(store) == ["s"]
    with pytest.raises(NotFoundError) as missing:
        secret_store.list_secrets(store, "other")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
