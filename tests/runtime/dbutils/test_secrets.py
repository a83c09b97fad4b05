from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brickyard import secret_store
from brickyard.errors import NotFoundError
from brickyard.runtime.dbutils import DBUtils, SecretMetadata, SecretScope
from brickyard.runtime.redaction import REDACTED


def test_get_registers_value_for_redaction(
    tmp_path: Path, context_factory: Callable[..., Any]
) -> None:
    secret_store.put_secret(tmp_path / "secrets.json", "prod", "token", "s3cr3t-value")
    context = context_factory()
    dbutils = DBUtils(context)
    assert dbutils.secrets.get("prod", "token") == "s3cr3t-value"
    assert context.redactor.redact("token=s3cr3t-value") == f"token={REDACTED}"


def test_get_bytes(tmp_path: Path, context_factory: Callable[..., Any]) -> None:
    secret_store.put_secret(tmp_path / "secrets.json", "prod", "key", "héllo")
    context = context_factory()
    assert DBUtils(context).secrets.getBytes("prod", "key") == "héllo".encode()
    assert context.redactor.redact("héllo") == REDACTED


def test_list_and_list_scopes(tmp_path: Path, context_factory: Callable[..., Any]) -> None:
    store = tmp_path / "secrets.json"
    secret_store.put_secret(store, "b", "k2", "v")
    secret_store.put_secret(store, "b", "k1", "v")
    secret_store.put_secret(store, "a", "k", "v")
    secrets = DBUtils(context_factory()).secrets
    assert secrets.listScopes() == [SecretScope("a"), SecretScope("b")]
    assert secrets.list("b") == [SecretMetadata("k1"), SecretMetadata("k2")]


def test_missing_scope_and_key_are_clear(
    tmp_path: Path, context_factory: Callable[..., Any]
) -> None:
    secret_store.put_secret(tmp_path / "secrets.json", "prod", "token", "v")
    secrets = DBUtils(context_factory()).secrets
    with pytest.raises(NotFoundError, match="Secret scope dev does not exist"):
        secrets.get("dev", "token")
    with pytest.raises(NotFoundError, match="scope: prod and key: nope"):
        secrets.get("prod", "nope")
    with pytest.raises(NotFoundError, match="Scope dev does not exist"):
        secrets.list("dev")


def test_secret_used_hook(tmp_path: Path, context_factory: Callable[..., Any]) -> None:
    secret_store.put_secret(tmp_path / "secrets.json", "s", "k", "v")
    context = context_factory()
    used: list[tuple[str, str]] = []
    context.on_secret_used = lambda scope, key: used.append((scope, key))
    DBUtils(context).secrets.get("s", "k")
    assert used == [("s", "k")]
