"""Workspace path rules (:mod:`brickyard.workspace.paths`)."""

from __future__ import annotations

import pytest

from brickyard.errors import InvalidInputError
from brickyard.workspace import (
    normalize_workspace_path,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/ETL/01_Ingestion", "/ETL/01_Ingestion"),
        ("/Workspace/ETL/01_Ingestion", "/ETL/01_Ingestion"),
        ("/Workspace", "/"),
        ("//ETL/./a//b/", "/ETL/a/b"),
        ("/ETL/x/../y", "/ETL/y"),
        ("/", "/"),
    ],
)
def test_normalize_workspace_path(raw: str, expected: str) -> None:
    assert normalize_workspace_path(raw) == expected


@pytest.mark.parametrize("raw", ["/../etc/passwd", "/ETL/../../x", "/Workspace/../../x"])
def test_normalize_rejects_traversal(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="outside the workspace root"):
        normalize_workspace_path(raw)


def test_normalize_rejects_relative() -> None:
    with pytest.raises(InvalidInputError, match="must be absolute"):
        normalize_workspace_path("ETL/x")
