"""The Spark this machine runs: the one pyspark's wheel ships, and the Java it needs.

Found once per process and checked up front, so a missing pyspark or an old Java is one
clear line (at validation, cluster start or task start), never a JVM stack trace.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from brickyard.errors import SparkUnavailableError

MINIMUM_JAVA = 17
"""Spark 4 runs on Java 17 and 21."""

INSTALL_HINT = "install it with: pip install 'brickyard[spark]'"


@dataclass(frozen=True)
class SparkInstallation:
    """Where Spark and Java are, and their versions."""

    spark_home: Path
    spark_version: str
    java_home: Path | None
    java: Path
    java_version: int

    @property
    def spark_submit(self) -> Path:
        """The ``spark-submit`` launcher."""
        return self.spark_home / "bin" / "spark-submit"

    @property
    def spark_class(self) -> Path:
        """The ``spark-class`` launcher (standalone masters and workers)."""
        return self.spark_home / "bin" / "spark-class"

    @property
    def jars_dir(self) -> Path:
        """Spark's own jars (the classpath the lakehouse catalog compiles against)."""
        return self.spark_home / "jars"

    @property
    def javac(self) -> Path | None:
        """The Java compiler next to ``java``, when this is a JDK."""
        candidate = self.java.parent / "javac"
        return candidate if candidate.exists() else None

    def environment(self) -> dict[str, str]:
        """What a Spark process needs in its environment on top of the caller's."""
        env = {"SPARK_HOME": str(self.spark_home)}
        if self.java_home is not None:
            env["JAVA_HOME"] = str(self.java_home)
        return env


def find_spark() -> SparkInstallation:
    """This process's Spark installation. Raises :class:`SparkUnavailableError`."""
    return _find_spark()


@functools.cache
def _find_spark() -> SparkInstallation:
    try:
        import pyspark
    except ImportError:
        raise SparkUnavailableError(f"pyspark is not installed; {INSTALL_HINT}") from None
    spark_home = Path(pyspark.__file__).resolve().parent
    if not (spark_home / "jars").is_dir():
        raise SparkUnavailableError(
            f"pyspark at {spark_home} has no jars folder (a pyspark-client install cannot "
            f"start Spark); {INSTALL_HINT}"
        )
    java_home, java = _find_java()
    version = java_version(java)
    if version < MINIMUM_JAVA:
        raise SparkUnavailableError(
            f"Java {version} at {java} is too old: Spark {pyspark.__version__} needs Java "
            f"{MINIMUM_JAVA} or newer (set JAVA_HOME to a newer JDK)"
        )
    return SparkInstallation(
        spark_home=spark_home,
        spark_version=pyspark.__version__,
        java_home=java_home,
        java=java,
        java_version=version,
    )


def _find_java() -> tuple[Path | None, Path]:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not java.exists():
            raise SparkUnavailableError(f"JAVA_HOME={java_home} has no bin/java")
        return Path(java_home), java
    found = shutil.which("java")
    if found is None:
        raise SparkUnavailableError(
            f"Java is not installed: Spark needs Java {MINIMUM_JAVA} or newer "
            "(for example: apt-get install openjdk-17-jdk-headless), or set JAVA_HOME"
        )
    java = Path(found).resolve()
    return java.parent.parent, java


_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_version(java: Path) -> int:
    """The major version of ``java`` (8 for ``1.8.0_x``)."""
    try:
        completed = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SparkUnavailableError(f"{java} -version failed: {error}") from None
    match = _VERSION.search(completed.stderr + completed.stdout)
    if match is None:
        raise SparkUnavailableError(f"cannot read the Java version from {java} -version")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major
