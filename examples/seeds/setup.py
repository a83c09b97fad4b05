"""Prepare a brickyard home for the Spark seed jobs, as a Databricks workspace would be set up.

    .venv/bin/python examples/seeds/setup.py [--output DIR]

with ``BRICKYARD_HOME`` naming the home (``~/.brickyard`` by default). It:

1. imports the notebooks into the workspace paths the seed jobs name
   (``/Workspace/DataPipeline/...``, ``/Workspace/ETL/...``);
2. compiles the data pipeline's Java step (``data-pipeline/java``) with ``javac`` against the
   jars of pyspark's Spark and writes ``/Workspace/DataPipeline/jars/pipeline-processing.jar``;
3. builds the ``data_quality`` wheel (``etl-pipeline-daily/data_quality``) into
   ``dbfs:/FileStore/wheels/``;
4. creates the all-purpose cluster the ETL job's ``<cluster-id>`` stands for (once: a second
   setup reuses it), stopped again at once so no JVM is left running (a task on it starts it),
   and installs the wheel on it;
5. writes copies of the seed jobs with ``<cluster-id>`` replaced into ``--output``
   (``$BRICKYARD_HOME/seeds`` by default) and prints the ids it substituted.

Running it again updates everything in place. It is a script rather than a ``brickyard``
command because every step is about this folder's sources, which an installed brickyard does
not ship.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from brickyard.app import Services, build_services
from brickyard.clusters.states import ClusterSource, ClusterState
from brickyard.compute.spark.installation import SparkInstallation, find_spark
from brickyard.errors import SparkUnavailableError
from brickyard.settings import Settings
from brickyard.workspace import Workspace

SEEDS = Path(__file__).resolve().parent
NOTEBOOK_FOLDERS = {
    SEEDS / "data-pipeline" / "notebooks": "/Workspace/DataPipeline",
    SEEDS / "etl-pipeline-daily" / "notebooks": "/Workspace/ETL",
}
JAVA_SOURCES = SEEDS / "data-pipeline" / "java"
PIPELINE_JAR = "/Workspace/DataPipeline/jars/pipeline-processing.jar"
WHEEL_SOURCE = SEEDS / "etl-pipeline-daily" / "data_quality"
WHEELS_FOLDER = "FileStore/wheels"
"""Under the DBFS root: the wheel is the cluster library ``dbfs:/FileStore/wheels/<name>``."""

CLUSTER_PLACEHOLDER = "<cluster-id>"
SHARED_CLUSTER = {
    "cluster_name": "etl-pipeline-daily-shared",
    "spark_version": "13.3.x-scala2.12",
    "node_type_id": "Standard_DS3_v2",
    "num_workers": 1,
    "autotermination_minutes": 30,
}
"""The all-purpose cluster ``seed-etl-pipeline-daily.json`` runs its wheel task on."""

SEED_JOBS = ("seed-data-pipeline-job.json", "seed-etl-pipeline-daily.json")
CLUSTER_STOP_SECONDS = 120.0


class SetupError(Exception):
    """A step that cannot be done, said in one line."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--output", type=Path, help="where the seed copies go")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    output = args.output or settings.home / "seeds"
    try:
        installation = find_spark()
        for path in import_notebooks(settings):
            print(f"imported {path}")
        build_pipeline_jar(installation, settings)
        print(f"built {PIPELINE_JAR}")
        wheel = build_data_quality_wheel(settings)
        print(f"built dbfs:/{WHEELS_FOLDER}/{wheel.name}")
        cluster_id = ensure_shared_cluster(settings, f"dbfs:/{WHEELS_FOLDER}/{wheel.name}")
        for seed in write_seed_copies(output, {CLUSTER_PLACEHOLDER: cluster_id}):
            print(f"wrote {seed}")
    except (SetupError, SparkUnavailableError) as error:
        print(f"setup: {error}", file=sys.stderr)
        return 2
    print(f"{CLUSTER_PLACEHOLDER} -> {cluster_id} ({SHARED_CLUSTER['cluster_name']})")
    return 0


def import_notebooks(settings: Settings) -> list[str]:
    """Every notebook of the examples, at the workspace path its seed job names."""
    workspace = Workspace(settings.workspace_root)
    imported: list[str] = []
    for source, destination in NOTEBOOK_FOLDERS.items():
        imported += workspace.import_path(source, destination, overwrite=True)
    return imported


def build_pipeline_jar(installation: SparkInstallation, settings: Settings) -> None:
    """``javac`` the Java step against Spark's own jars; the jar goes into the workspace."""
    javac = installation.javac
    if javac is None:
        raise SetupError(f"{installation.java} has no javac next to it: install a JDK 17")
    sources = sorted(str(path) for path in JAVA_SOURCES.rglob("*.java"))
    with tempfile.TemporaryDirectory(prefix="seeds-javac-") as scratch:
        classes = Path(scratch) / "classes"
        command = [str(javac), "--release", "17", "-d", str(classes)]
        command += ["-cp", f"{installation.jars_dir}/*", *sources]
        compiled = subprocess.run(command, capture_output=True, text=True, check=False)
        if compiled.returncode != 0:
            raise SetupError(f"javac failed: {compiled.stderr.strip()}")
        jar = Path(scratch) / "pipeline-processing.jar"
        with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
            for path in sorted(classes.rglob("*.class")):
                archive.write(path, path.relative_to(classes).as_posix())
        workspace = Workspace(settings.workspace_root)
        workspace.import_file(PIPELINE_JAR, jar.read_bytes(), overwrite=True)


def build_data_quality_wheel(settings: Settings) -> Path:
    """``pip wheel`` the checks package into the DBFS folder the cluster library names."""
    target = settings.dbfs_root / WHEELS_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="seeds-wheel-") as scratch:
        # built from a copy: setuptools leaves build/ and *.egg-info in the source folder
        source = Path(scratch) / "data_quality"
        shutil.copytree(WHEEL_SOURCE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
        command += ["-w", scratch, str(source)]
        built = subprocess.run(command, capture_output=True, text=True, check=False)
        if built.returncode != 0:
            raise SetupError(f"building the data_quality wheel failed: {built.stderr.strip()}")
        (wheel,) = Path(scratch).glob("data_quality-*.whl")
        return Path(shutil.copy2(wheel, target / wheel.name))


def ensure_shared_cluster(settings: Settings, wheel: str) -> str:
    """The all-purpose cluster's id: made on the first setup, stopped, the wheel installed."""
    services = build_services(settings, control_socket=False)
    try:
        cluster_id = _existing_cluster(services) or _create_stopped_cluster(services)
        services.clusters.install_libraries(cluster_id, [{"whl": wheel}])
        return cluster_id
    finally:
        services.close()


def _existing_cluster(services: Services) -> str | None:
    for record in services.clusters.list_clusters(sources=[ClusterSource.API.value]):
        if record.cluster_name == SHARED_CLUSTER["cluster_name"]:
            return record.cluster_id
    return None


def _create_stopped_cluster(services: Services) -> str:
    # Created as the Clusters API creates one (it starts at once), then terminated before its
    # JVM is of any use: the cluster exists, stopped, and the wheel task starts it when run.
    cluster_id = services.clusters.create(SHARED_CLUSTER).cluster_id
    services.clusters.terminate(cluster_id)
    deadline = time.monotonic() + CLUSTER_STOP_SECONDS
    while services.clusters.get(cluster_id).state != ClusterState.TERMINATED:
        if time.monotonic() > deadline:
            raise SetupError(f"cluster {cluster_id} did not stop within {CLUSTER_STOP_SECONDS} s")
        time.sleep(0.2)
    return cluster_id


def write_seed_copies(output: Path, substitutions: dict[str, str]) -> list[Path]:
    """The Spark seed jobs with each placeholder replaced, in ``output``."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SEED_JOBS:
        text = (SEEDS / name).read_text(encoding="utf-8")
        for placeholder, value in substitutions.items():
            text = text.replace(placeholder, value)
        target = output / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    sys.exit(main())
