"""The lakehouse: every catalog's tables under one folder, as Spark and DuckDB both read them.

Layout (the contract with the SQL warehouse)::

    <home>/lakehouse/<catalog>/<schema>/<table>/_brickyard_table.json
        {"format": "parquet", "schema": <Spark's StructType JSON>, "properties": {...}}
    <home>/lakehouse/<catalog>/<schema>/<table>/part-*.parquet
        the data

Spark sees each catalog through ``brickyard.spark.LakehouseCatalog`` (Java, in ``java/``): a
Spark catalog plugin over that layout. It is compiled against the installed Spark's jars the
first time a cluster starts and cached under the Spark folder, so no jar is downloaded or
shipped prebuilt.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from brickyard.compute.file_locks import exclusive_lock
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.errors import SparkUnavailableError

BUILT_IN_CATALOGS = ("main", "hive_metastore")
"""Catalogs that exist from the start, as in a new Unity Catalog workspace."""
DEFAULT_CATALOG = "main"
DEFAULT_SCHEMA = "default"
TABLE_METADATA_FILE = "_brickyard_table.json"
CATALOG_CLASS = "brickyard.spark.LakehouseCatalog"

_SOURCES = Path(__file__).parent / "java"


def catalog_names(lakehouse_root: Path) -> tuple[str, ...]:
    """The built-in catalogs and every other catalog folder of the lakehouse."""
    found = (
        sorted(p.name for p in lakehouse_root.iterdir() if p.is_dir() and p.name[0] not in "._")
        if lakehouse_root.is_dir()
        else []
    )
    return tuple(dict.fromkeys([*BUILT_IN_CATALOGS, *found]))


def catalog_conf(lakehouse_root: Path) -> dict[str, str]:
    """The Spark settings that put every lakehouse catalog in a session, ``main`` current."""
    conf: dict[str, str] = {}
    for name in catalog_names(lakehouse_root):
        conf[f"spark.sql.catalog.{name}"] = CATALOG_CLASS
        conf[f"spark.sql.catalog.{name}.root"] = str(lakehouse_root / name)
    conf["spark.sql.defaultCatalog"] = DEFAULT_CATALOG
    # The session catalog (temporary tables, spark_catalog) keeps its files beside the lakehouse.
    conf["spark.sql.warehouse.dir"] = str(lakehouse_root / "_spark_warehouse")
    return conf


def _source_files() -> list[Path]:
    return sorted(_SOURCES.rglob("*.java"))


def _source_digest(spark_version: str) -> str:
    digest = hashlib.sha256(spark_version.encode())
    for source in _source_files():
        digest.update(source.relative_to(_SOURCES).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def catalog_jar_path(spark_version: str, spark_root: Path) -> Path:
    """Where :func:`catalog_jar` keeps the jar for this Spark and these sources (its name says
    both, so a jar of that name is that jar wherever it is)."""
    return spark_root / "lakehouse" / f"catalog-{_source_digest(spark_version)}.jar"


def catalog_jar(installation: SparkInstallation, spark_root: Path) -> Path:
    """The compiled catalog jar for this Spark (compiled once, then cached)."""
    target = catalog_jar_path(installation.spark_version, spark_root)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(target.with_suffix(".lock")):
        if not target.exists():  # another process compiled it while this one waited
            _compile(installation, target)
    return target


def _compile(installation: SparkInstallation, target: Path) -> None:
    javac = installation.javac
    if javac is None:
        raise SparkUnavailableError(
            "the lakehouse catalog is compiled on first use and needs a JDK, but "
            f"{installation.java} has no javac next to it "
            "(for example: apt-get install openjdk-17-jdk-headless)"
        )
    with tempfile.TemporaryDirectory(prefix="brickyard-catalog-") as scratch:
        classes = Path(scratch) / "classes"
        command = [
            str(javac),
            "-nowarn",
            "--release",
            str(17),
            "-cp",
            str(installation.jars_dir / "*"),
            "-d",
            str(classes),
            *(str(source) for source in _source_files()),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            first = (completed.stderr or completed.stdout).strip().splitlines()[:3]
            raise SparkUnavailableError(
                f"compiling the lakehouse catalog against Spark {installation.spark_version} "
                f"failed: {' '.join(first)}"
            )
        partial = target.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as jar:
            for compiled in sorted(classes.rglob("*.class")):
                jar.write(compiled, compiled.relative_to(classes).as_posix())
        partial.replace(target)


def table_folder(lakehouse_root: Path, name: str) -> Path:
    """The folder of table ``catalog.schema.table`` (names are case-insensitive, stored lower)."""
    parts = [part.strip("`").lower() for part in name.split(".")]
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"{name!r} is not a three-level table name (catalog.schema.table)")
    return lakehouse_root.joinpath(*parts)


def spark_jars(conf: Mapping[str, str], extra: list[str]) -> str:
    """``spark.jars`` with ``extra`` added to what ``conf`` already lists."""
    existing = [jar for jar in conf.get("spark.jars", "").split(",") if jar]
    return ",".join(dict.fromkeys([*existing, *extra]))
