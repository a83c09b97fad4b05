"""``dbfs:/`` and ``/Volumes/`` paths in Spark's readers and writers, as on Databricks.

A Databricks notebook reads ``spark.read.csv("dbfs:/landing/x.csv")`` and writes
``df.write.parquet("/Volumes/main/raw/files/out")``. Spark here has no ``dbfs`` filesystem, so
once the task's session exists the path arguments of ``DataFrameReader`` and
``DataFrameWriter`` (classic and Spark Connect) are mapped to the local folders that
``dbutils.fs`` uses (``dbfs:/x`` and ``/dbfs/x`` under the DBFS root, ``/Volumes/...`` under the
volumes root) as ``file:`` URIs. Paths without those prefixes are left as they are; SQL text
(``SELECT * FROM parquet.`dbfs:/...```) is not rewritten.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final

from brickyard.runtime.context import RuntimePaths
from brickyard.runtime.dbutils.fs_paths import resolve_fs_path

_PREFIXES: Final = ("dbfs:/", "/dbfs/", "/volumes/")
_READER_METHODS: Final = ("load", "csv", "json", "parquet", "text", "orc", "xml")
_WRITER_METHODS: Final = ("save", "csv", "json", "parquet", "text", "orc", "xml")
_PATCHED: Final = "_brickyard_paths"


def local_uri(path: str, paths: RuntimePaths) -> str:
    """``path`` as a ``file:`` URI when it names DBFS or a volume, else unchanged."""
    lowered = path.lower()
    if not lowered.startswith(_PREFIXES):
        return path
    dbutils_path = "dbfs:/" + path[len("/dbfs/") :] if lowered.startswith("/dbfs/") else path
    return resolve_fs_path(dbutils_path, paths).local.as_uri()


def map_paths(value: Any, paths: RuntimePaths) -> Any:
    """A path argument (a string, or a list or tuple of them) with storage paths mapped."""
    if isinstance(value, str):
        return local_uri(value, paths)
    if isinstance(value, list | tuple):
        return type(value)(map_paths(item, paths) for item in value)
    return value


def install(paths: RuntimePaths) -> Callable[[Any], None]:
    """A session listener that maps storage paths in the readers and writers of the
    session's kind (classic or Connect), once per class."""

    def on_session(session: Any) -> None:
        for module_name in _reader_writer_modules(session):
            try:
                module = __import__(module_name, fromlist=["DataFrameReader"])
            except ImportError:
                continue
            _patch(getattr(module, "DataFrameReader", None), _READER_METHODS, paths)
            _patch(getattr(module, "DataFrameWriter", None), _WRITER_METHODS, paths)

    return on_session


def _reader_writer_modules(session: Any) -> tuple[str, ...]:
    if type(session).__module__.startswith("pyspark.sql.connect"):
        return ("pyspark.sql.connect.readwriter",)
    return ("pyspark.sql.readwriter",)


def _patch(cls: Any, methods: tuple[str, ...], paths: RuntimePaths) -> None:
    if cls is None or getattr(cls, _PATCHED, False):
        return
    for name in methods:
        original = getattr(cls, name, None)
        if original is not None:
            setattr(cls, name, _mapping(original, paths))
    setattr(cls, _PATCHED, True)


def _mapping(method: Callable[..., Any], paths: RuntimePaths) -> Callable[..., Any]:
    @functools.wraps(method)
    def mapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        if args:
            args = (map_paths(args[0], paths), *args[1:])
        for key in ("path", "paths"):
            if key in kwargs:
                kwargs[key] = map_paths(kwargs[key], paths)
        return method(self, *args, **kwargs)

    return mapped
