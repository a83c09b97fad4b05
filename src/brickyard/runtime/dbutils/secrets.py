# ruff: noqa: N802 - dbutils mirrors the Databricks API's camelCase names.
"""``dbutils.secrets``: read the local secret store; every value read is redacted in output."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from brickyard import secret_store
from brickyard.runtime.context import TaskContext


@dataclass(frozen=True)
class SecretMetadata:
    """One secret of a scope (the value is never listed)."""

    key: str


@dataclass(frozen=True)
class SecretScope:
    """One secret scope."""

    name: str


class SecretsUtils:
    """Secrets from the store at ``secrets_file``."""

    def __init__(self, context: TaskContext) -> None:
        self._context = context

    def get(self, scope: str, key: str) -> str:
        """The secret's value (from now on shown as ``[REDACTED]`` in this task's output)."""
        value = secret_store.get_secret(self._context.paths.secrets_file, scope, key)
        self._context.redactor.register(value)
        if self._context.on_secret_used is not None:
            self._context.on_secret_used(scope, key)
        return value

    def getBytes(self, scope: str, key: str) -> bytes:
        """The secret's value as UTF-8 bytes."""
        return self.get(scope, key).encode("utf-8")

    def list(self, scope: str) -> list[SecretMetadata]:
        """The secrets of ``scope`` (keys only)."""
        keys = secret_store.list_keys(self._context.paths.secrets_file, scope)
        return [SecretMetadata(key) for key in keys]

    def listScopes(self) -> builtins.list[SecretScope]:
        """Every secret scope."""
        names = secret_store.list_scopes(self._context.paths.secrets_file)
        return [SecretScope(name) for name in names]
