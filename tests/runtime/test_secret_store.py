from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.runtime import secret_store


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
