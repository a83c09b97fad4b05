"""What the Spark seed jobs need in a test: a home prepared by ``examples/seeds/setup.py``
(run as a user runs it) and a file Maven repository standing in for Maven Central.

``seed-data-pipeline-job.json`` names ``com.databricks:spark-xml_2.12:0.9.0``, which users get
from Maven Central. This machine has no route there, so the tests build a repository holding a
jar under that coordinate (one class, ``com.databricks.spark.xml.XmlReader``, the class the
pipeline's Java step looks for) and point ``BRICKYARD_MAVEN_REPOSITORIES`` at it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from support.maven_repo import Artifact, MavenRepo, build_repo
from support.seeds import SEEDS_DIR

SETUP_SCRIPT = SEEDS_DIR / "setup.py"

SPARK_XML = Artifact(
    group="com.databricks",
    artifact="spark-xml_2.12",
    version="0.9.0",
    sources={
        "com/databricks/spark/xml/XmlReader.java": """
package com.databricks.spark.xml;

/** Stands in for spark-xml's reader in tests: the coordinate resolves, the class loads. */
public final class XmlReader {
    public String rowTag() {
        return "ROW";
    }
}
""",
    },
)


def spark_xml_repo(root: Path, *, javac: Path) -> MavenRepo:
    """A file repository holding ``com.databricks:spark-xml_2.12:0.9.0``."""
    return build_repo(root, [SPARK_XML], javac=javac)


def run_setup(env: Mapping[str, str], *, cwd: Path) -> dict[str, str]:
    """Run the seeds' setup script as a user does; the ids it substituted (placeholder ->
    id) from its last lines."""
    completed = subprocess.run(
        [sys.executable, str(SETUP_SCRIPT)],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    substituted = {}
    for line in completed.stdout.splitlines():
        if line.startswith("<") and " -> " in line:
            placeholder, _, rest = line.partition(" -> ")
            substituted[placeholder] = rest.split()[0]
    return substituted
