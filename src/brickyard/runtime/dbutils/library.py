# ruff: noqa: N802 - dbutils mirrors the Databricks API's camelCase names.
"""``dbutils.library``."""

from __future__ import annotations

import importlib


class LibraryUtils:
    """Library utilities."""

    def restartPython(self) -> None:
        """Make packages installed with ``%pip install`` importable.

        brickyard installs ``%pip`` packages into a folder that is put first on ``sys.path`` of
        the running interpreter, so no restart is needed: this refreshes the import caches.
        Modules imported before the install keep their old version.
        """
        importlib.invalidate_caches()
