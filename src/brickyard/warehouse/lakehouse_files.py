"""The lakehouse's folders and files as the warehouse reads and writes them (the layout is
``brickyard.compute.spark.lakehouse``'s contract with Spark's ``LakehouseCatalog``).

Writes never leave a half-written table: new Parquet files are written into a staging folder
(``<lakehouse>/_staging/<uuid>``, outside every catalog) and only moved into the table folder
once complete, under the table's writer lock (``<lakehouse>/_locks/<catalog>/<schema>/<table>
.lock``). A new table's folder is staged whole (data and ``_brickyard_table.json``) and renamed
into place, so it appears complete or not at all; an overwrite moves the new files in first and
deletes the old ones after, as the Java catalog's TRUNCATE write does.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brickyard.compute.spark.lakehouse import BUILT_IN_CATALOGS, DEFAULT_SCHEMA, TABLE_METADATA_FILE
from brickyard.errors import InvalidInputError
from brickyard.warehouse.file_locks import exclusive
from brickyard.warehouse.spark_types import SparkType, struct_type

STAGING_FOLDER = "_staging"
LOCKS_FOLDER = "_locks"
DATA_FILE_GLOB = "part-*.parquet"


@dataclass(frozen=True)
class TableName:
    """A lakehouse table's three-level name, lower case as its folders are."""

    catalog: str
    schema: str
    table: str

    def __str__(self) -> str:
        return f"{self.catalog}.{self.schema}.{self.table}"

    def folder(self, lakehouse_root: Path) -> Path:
        return lakehouse_root / self.catalog / self.schema / self.table


@dataclass(frozen=True)
class TableMetadata:
    """``_brickyard_table.json``: the Spark schema of the columns and the table's properties."""

    schema: dict[str, Any]
    properties: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_columns(
        cls, columns: list[tuple[str, SparkType]], properties: dict[str, str] | None = None
    ) -> TableMetadata:
        return cls(schema=struct_type(columns), properties=dict(properties or {}))

    @property
    def columns(self) -> list[tuple[str, SparkType]]:
        return [(str(f["name"]), f["type"]) for f in self.schema.get("fields", [])]

    def to_json(self) -> str:
        return json.dumps(
            {"format": "parquet", "schema": self.schema, "properties": self.properties}
        )


def read_metadata(folder: Path) -> TableMetadata | None:
    """The metadata of the table in ``folder``; None where there is no table."""
    try:
        raw = json.loads((folder / TABLE_METADATA_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    properties = raw.get("properties") or {}
    return TableMetadata(
        schema=raw["schema"], properties={str(k): str(v) for k, v in properties.items()}
    )


def write_metadata(folder: Path, metadata: TableMetadata) -> None:
    """Replace the metadata file at once (written beside it, then renamed over it)."""
    partial = folder / f".{TABLE_METADATA_FILE}.{uuid.uuid4().hex}.tmp"
    partial.write_text(metadata.to_json(), encoding="utf-8")
    partial.replace(folder / TABLE_METADATA_FILE)


def data_files(folder: Path) -> list[Path]:
    """The table's data files: everything but hidden (``.``) and metadata (``_``) entries, as
    Spark's file index sees it."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name[0] not in "._")


def has_data_files(folder: Path) -> bool:
    return any(folder.glob(DATA_FILE_GLOB))


def new_data_file_name() -> str:
    return f"part-00000-{uuid.uuid4()}-c000.parquet"


@contextmanager
def staging_folder(lakehouse_root: Path) -> Iterator[Path]:
    """A fresh folder for files not yet in a table; removed with whatever is left in it."""
    folder = lakehouse_root / STAGING_FOLDER / uuid.uuid4().hex
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def table_lock(lakehouse_root: Path, table: TableName) -> Iterator[None]:
    """The writer lock of ``table`` (see :mod:`brickyard.warehouse.file_locks`)."""
    path = lakehouse_root / LOCKS_FOLDER / table.catalog / table.schema / f"{table.table}.lock"
    with exclusive(path):
        yield


def schema_exists(lakehouse_root: Path, catalog: str, schema: str) -> bool:
    """Whether ``catalog.schema`` exists (a built-in catalog's ``default`` always does)."""
    if catalog in BUILT_IN_CATALOGS and schema == DEFAULT_SCHEMA:
        return True
    return (lakehouse_root / catalog / schema).is_dir()


def catalog_exists(lakehouse_root: Path, catalog: str) -> bool:
    return catalog in BUILT_IN_CATALOGS or (lakehouse_root / catalog).is_dir()


def require_schema(lakehouse_root: Path, catalog: str, schema: str) -> Path:
    """The schema's folder (made for a built-in default); an error naming it where it is
    missing."""
    if not schema_exists(lakehouse_root, catalog, schema):
        raise InvalidInputError(
            f"[SCHEMA_NOT_FOUND] The schema `{catalog}`.`{schema}` cannot be found"
        )
    folder = lakehouse_root / catalog / schema
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def install_new_table(
    lakehouse_root: Path, table: TableName, staged: Path, metadata: TableMetadata
) -> None:
    """Move a staged folder of data files in as the new table ``table`` (caller holds its lock
    and has checked that it does not exist)."""
    require_schema(lakehouse_root, table.catalog, table.schema)
    write_metadata(staged, metadata)
    target = table.folder(lakehouse_root)
    if target.exists():  # a leftover folder without metadata: not a table
        shutil.rmtree(target)
    staged.rename(target)


def replace_table_data(
    folder: Path, staged_files: list[Path], *, metadata: TableMetadata | None, keep_old: bool
) -> None:
    """Move ``staged_files`` into the table ``folder``; then, unless ``keep_old`` (an append),
    delete the files that were there, so a failure before this point keeps the old data."""
    old = [] if keep_old else data_files(folder)
    for staged in staged_files:
        staged.rename(folder / staged.name)
    if metadata is not None:
        write_metadata(folder, metadata)
    for path in old:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def drop_table_folder(folder: Path) -> None:
    shutil.rmtree(folder)


def table_names(lakehouse_root: Path, catalog: str, schema: str) -> list[str]:
    folder = lakehouse_root / catalog / schema
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / TABLE_METADATA_FILE).is_file())


def schema_names(lakehouse_root: Path, catalog: str) -> list[str]:
    folder = lakehouse_root / catalog
    found = (
        [p.name for p in folder.iterdir() if p.is_dir() and p.name[0] not in "._"]
        if folder.is_dir()
        else []
    )
    if catalog in BUILT_IN_CATALOGS:
        found.append(DEFAULT_SCHEMA)
    return sorted(set(found))
