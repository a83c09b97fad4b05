"""The spark-submit command lines of JAR and spark-submit tasks: brickyard's master, conf and
jars first, the user's choices winning, the primary jar found by its main class."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import catalog_conf
from brickyard.compute.spark.sizing import MachineResources, plan_cluster
from brickyard.compute.spark.submit import (
    DriverOptions,
    jar_task_argv,
    local_argument,
    split_submit_arguments,
    submit_task_argv,
)
from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.settings import Settings
from brickyard.spec import ClusterSpec
from support.spark import spark_or_skip

MACHINE = MachineResources(cores=2, memory_mb=8192)


@pytest.fixture(scope="module")
def installation() -> SparkInstallation:
    return spark_or_skip()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", database_url="sqlite://")


def write_jar(path: Path, *classes: str) -> Path:
    """A jar holding (empty) class entries: only its table of contents is read here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        for name in classes:
            jar.writestr(name.replace(".", "/") + ".class", b"\xca\xfe\xba\xbe")
    return path


def options(settings: Settings, jars: list[Path], spec: ClusterSpec | None = None) -> DriverOptions:
    plan = plan_cluster(spec, cluster_id="c-1", cluster_name="etl", machine=MACHINE)
    catalog = settings.spark_root / "lakehouse" / "catalog.jar"
    return DriverOptions(
        plan=plan, extra_conf=catalog_conf(settings.lakehouse_root), jars=(catalog, *jars)
    )


def option_values(argv: list[str], name: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == name]


def test_a_jar_task_runs_its_main_class_from_the_jar_that_holds_it(
    installation: SparkInstallation, settings: Settings, tmp_path: Path
) -> None:
    helper = write_jar(tmp_path / "helper.jar", "com.example.Helper")
    app = write_jar(tmp_path / "app.jar", "com.example.Main")
    spec = ClusterSpec(node_type_id="Standard_DS3_v2", num_workers=1)
    argv = jar_task_argv(
        installation,
        options(settings, [helper, app], spec),
        main_class="com.example.Main",
        candidates=[helper, app],
        parameters=["--date", "2026-12-01"],
    )
    assert argv[0] == str(installation.spark_submit)
    assert option_values(argv, "--master") == ["local[2]"]  # 4 cores asked, 2 here
    assert option_values(argv, "--driver-memory") == ["4096m"]
    conf = dict(value.split("=", 1) for value in option_values(argv, "--conf"))
    assert conf["spark.sql.catalog.main"] == "brickyard.spark.LakehouseCatalog"
    assert conf["spark.sql.catalog.main.root"] == str(settings.lakehouse_root / "main")
    assert conf["spark.driver.host"] == "127.0.0.1"
    assert conf["spark.app.name"] == "etl"
    catalog = settings.spark_root / "lakehouse" / "catalog.jar"
    assert option_values(argv, "--jars") == [f"{catalog},{helper}"]  # not the primary jar
    assert argv[-5:] == ["--class", "com.example.Main", str(app), "--date", "2026-12-01"]


def test_a_main_class_in_no_jar_names_the_class_and_the_jars(
    installation: SparkInstallation, settings: Settings, tmp_path: Path
) -> None:
    helper = write_jar(tmp_path / "helper.jar", "com.example.Helper")
    with pytest.raises(NotFoundError, match=r"com\.example\.Main is not in .*\(helper\.jar\)"):
        jar_task_argv(
            installation,
            options(settings, [helper]),
            main_class="com.example.Main",
            candidates=[helper],
            parameters=[],
        )
    with pytest.raises(InvalidInputError, match="has no jar"):
        jar_task_argv(
            installation, options(settings, []), main_class="a.B", candidates=[], parameters=[]
        )


def test_spark_submit_parameters_keep_the_users_choices(
    installation: SparkInstallation, settings: Settings
) -> None:
    parameters = [
        "--master",
        "local[1]",
        "--conf",
        "spark.app.name=mine",
        "--jars",
        "dbfs:/libs/extra.jar",
        "--class",
        "org.x.Main",
        "dbfs:/apps/app.jar",
        "dbfs:/data/in",
    ]
    argv = submit_task_argv(installation, options(settings, []), parameters, settings=settings)
    assert option_values(argv, "--master") == ["local[1]"]
    assert "spark.app.name=etl" not in argv and "spark.app.name=mine" in argv
    catalog = settings.spark_root / "lakehouse" / "catalog.jar"
    assert option_values(argv, "--jars") == [f"{catalog},{settings.dbfs_root}/libs/extra.jar"]
    assert argv[-4:] == [
        "--class",
        "org.x.Main",
        str(settings.dbfs_root / "apps" / "app.jar"),
        str(settings.dbfs_root / "data" / "in"),
    ]
    assert argv.index("--driver-memory") < argv.index("--class")  # brickyard's options first


def test_spark_submit_without_an_application_is_refused(
    installation: SparkInstallation, settings: Settings
) -> None:
    with pytest.raises(InvalidInputError, match="no application"):
        submit_task_argv(
            installation, options(settings, []), ["--class", "org.x.Main"], settings=settings
        )


def test_splitting_spark_submit_arguments() -> None:
    assert split_submit_arguments(["--verbose", "--master=local", "app.py", "--x", "1"]) == (
        [["--verbose"], ["--master", "local"]],
        ["app.py", "--x", "1"],
    )


def test_storage_paths_in_arguments_become_local(settings: Settings) -> None:
    assert local_argument("dbfs:/a.jar,/Volumes/main/raw/libs/b.jar,c.jar", settings) == (
        f"{settings.dbfs_root}/a.jar,{settings.volumes_root}/main/raw/libs/b.jar,c.jar"
    )
    assert local_argument("--date=2026-12-01", settings) == "--date=2026-12-01"


def test_packages_of_the_user_look_in_the_configured_repositories(
    installation: SparkInstallation, settings: Settings
) -> None:
    settings = replace(settings, maven_repositories=("https://mirror.example/maven2",))
    parameters = ["--packages", "com.example:greeter:1.0", "--class", "a.Main", "app.jar"]
    argv = submit_task_argv(installation, options(settings, []), parameters, settings=settings)
    assert option_values(argv, "--repositories") == ["https://mirror.example/maven2"]
    assert f"spark.jars.ivy={settings.spark_root}/maven/ivy-submit" in argv
    assert option_values(argv, "--packages") == ["com.example:greeter:1.0"]
    mine = [*parameters[:2], "--repositories", "file:///m2", *parameters[2:]]
    argv = submit_task_argv(installation, options(settings, []), mine, settings=settings)
    assert option_values(argv, "--repositories") == ["file:///m2"]
