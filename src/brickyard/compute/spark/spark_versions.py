"""The Databricks Runtime versions a cluster spec may name (``clusters/spark-versions``).

brickyard runs every one of them on the Spark that pyspark installed; a spec whose runtime
bundles another Spark gets a note in its cluster's events and in the task's log, because code
written for that Spark may behave differently here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class RuntimeVersion:
    """One Databricks Runtime: its key (``15.4.x-scala2.12``) and the Spark it bundles."""

    key: str
    spark: str
    lts: bool = False
    ml: bool = False

    @property
    def name(self) -> str:
        """The name ``clusters/spark-versions`` shows."""
        number = self.key.split(".x", 1)[0]
        scala = self.key.rsplit("scala", 1)[-1]
        flavour = " ML" if self.ml else ""
        lts = " LTS" if self.lts else ""
        return f"{number}{lts}{flavour} (includes Apache Spark {self.spark}, Scala {scala})"


def _versions() -> tuple[RuntimeVersion, ...]:
    base = (
        ("17.3.x-scala2.13", "4.0.0", True),
        ("17.2.x-scala2.13", "4.0.0", False),
        ("17.1.x-scala2.13", "4.0.0", False),
        ("17.0.x-scala2.13", "4.0.0", False),
        ("16.4.x-scala2.12", "3.5.2", True),
        ("16.3.x-scala2.12", "3.5.2", False),
        ("15.4.x-scala2.12", "3.5.0", True),
        ("14.3.x-scala2.12", "3.5.0", True),
        ("13.3.x-scala2.12", "3.4.1", True),
        ("12.2.x-scala2.12", "3.3.2", True),
    )
    versions: list[RuntimeVersion] = []
    for key, spark, lts in base:
        versions.append(RuntimeVersion(key, spark, lts))
        number, scala = key.split(".x-", 1)
        versions.append(RuntimeVersion(f"{number}.x-cpu-ml-{scala}", spark, lts, ml=True))
    return tuple(versions)


RUNTIME_VERSIONS: Final = _versions()
"""Newest first, as Databricks lists them."""

_BY_KEY: Final = {version.key: version for version in RUNTIME_VERSIONS}

_KEY_PATTERN: Final = re.compile(r"^(\d+)\.(\d+)\.x-")


def find_runtime(key: str) -> RuntimeVersion | None:
    """The runtime ``key`` names, if brickyard knows it."""
    return _BY_KEY.get(key)


def spark_version_note(key: str | None, installed_spark: str) -> str | None:
    """What to tell the user when the spec's runtime bundles another Spark than the one
    brickyard runs (None when they agree or the spec names none)."""
    if not key:
        return None
    runtime = find_runtime(key)
    if runtime is None:
        if _KEY_PATTERN.match(key) is None:
            return (
                f"spark_version {key!r} is not a Databricks Runtime key (e.g. 15.4.x-scala2.12); "
                f"this brickyard runs Spark {installed_spark}"
            )
        return f"spark_version {key} is not one brickyard knows; it runs Spark {installed_spark}"
    if _minor(runtime.spark) == _minor(installed_spark):
        return None
    return (
        f"spark_version {key} bundles Spark {runtime.spark}; this brickyard runs Spark "
        f"{installed_spark} (from pyspark)"
    )


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])
