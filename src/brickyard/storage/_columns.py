"""Helpers shared by the repository modules: checking and normalizing column changes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum
from typing import Any, TypeAlias

from sqlalchemy import Row, Table

AnyRow: TypeAlias = Row[*tuple[Any, ...]]
"""A result row of any width."""


def plain(value: Any) -> Any:
    """``value`` with enum members replaced by their wire values (drivers see plain strings)."""
    return value.value if isinstance(value, Enum) else value


def checked_changes(
    table: Table, changes: Mapping[str, Any], *, forbidden: Collection[str], caller: str
) -> dict[str, Any]:
    """``changes`` ready for an UPDATE of ``table``; ValueError on unknown or forbidden names."""
    if not changes:
        return {}
    unknown = sorted(name for name in changes if name not in table.c)
    if unknown:
        raise ValueError(f"{caller}: {table.name} has no column(s) {', '.join(unknown)}")
    refused = sorted(name for name in changes if name in forbidden)
    if refused:
        raise ValueError(f"{caller}: column(s) {', '.join(refused)} cannot be set here")
    return {name: plain(value) for name, value in changes.items()}
