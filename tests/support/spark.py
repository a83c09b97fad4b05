"""Spark for tests: skip with the reason when this machine cannot run it, and the lakehouse
conf a test session uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from brickyard.compute.spark.installation import SparkInstallation, find_spark
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar
from brickyard.errors import SparkUnavailableError


def spark_or_skip() -> SparkInstallation:
    """This machine's Spark; the test is skipped (with why) where Java or pyspark is missing."""
    try:
        return find_spark()
    except SparkUnavailableError as error:
        pytest.skip(str(error))


def lakehouse_conf(installation: SparkInstallation, home: Path) -> dict[str, str]:
    """Spark settings for a lakehouse under ``home``, the catalog jar on ``spark.jars``."""
    jar = catalog_jar(installation, home / "spark")
    return {**catalog_conf(home / "lakehouse"), "spark.jars": str(jar), "spark.ui.enabled": "false"}
