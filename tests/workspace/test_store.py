"""The :class:`Workspace` entry point (:mod:`brickyard.workspace.store`); what each call does
is tested with the module doing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.workspace import Workspace


def test_the_root_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    workspace = Workspace(Path("ws"))
    # The working directory as the OS reports it (symlinks resolved), which absolute() uses.
    assert workspace.root == Path.cwd() / "ws"
    assert workspace.root.is_absolute()
    assert workspace.local_path("/a") == workspace.root / "a"
