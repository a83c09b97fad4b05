"""The ``spark-submit`` command line of a JAR or spark-submit task.

Both run a driver of their own, sized like the task's cluster (:func:`sizing.plan_cluster`:
``--master``, ``--driver-memory``, ``--conf``), with the lakehouse catalog on the classpath
and in the conf, so a JAR's ``saveAsTable("main.default.t")`` writes the table a notebook
reads. A JAR task names its main class and its jars come from its libraries; a spark-submit
task's ``parameters`` are spark-submit's own arguments (Databricks' semantics), with
``dbfs:/`` and ``/Volumes/`` paths mapped to their local files and brickyard's options put
before the user's unless the user sets them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from brickyard.compute.paths import storage_path
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import spark_jars
from brickyard.compute.spark.sizing import SparkClusterPlan
from brickyard.errors import InvalidInputError, NotFoundError
from brickyard.settings import Settings

_LOOPBACK_MASTERS = ("local", "spark://127.0.0.1", "spark://localhost")

SUBMIT_FLAGS = frozenset({"--verbose", "-v", "--supervise", "--help", "-h", "--version"})
"""spark-submit options that take no value (every other ``--option`` takes one)."""


@dataclass(frozen=True)
class DriverOptions:
    """What brickyard passes to every driver: the cluster's plan, the lakehouse and jars."""

    plan: SparkClusterPlan
    extra_conf: Mapping[str, str]
    """The lakehouse catalog conf (``lakehouse.catalog_conf``)."""
    jars: Sequence[Path]
    """The lakehouse catalog jar and the task's library jars, in classpath order."""

    def conf(self) -> dict[str, str]:
        """The driver's Spark conf: the plan's, the lakehouse's, loopback driver addresses."""
        conf = {**self.extra_conf, **self.plan.conf}
        if self.plan.master.startswith(_LOOPBACK_MASTERS):
            # As the Connect server does: a host name that does not resolve (containers,
            # VPNs) would fail the driver, and a laptop's driver should not listen outside.
            conf.setdefault("spark.driver.host", "127.0.0.1")
            conf.setdefault("spark.driver.bindAddress", conf["spark.driver.host"])
        return conf


def jar_task_argv(
    installation: SparkInstallation,
    options: DriverOptions,
    *,
    main_class: str,
    candidates: Sequence[Path],
    parameters: Sequence[str],
) -> list[str]:
    """``spark-submit ... --class <main_class> <primary jar> <parameters>``.

    The primary jar is the first of ``candidates`` (the task's jars, ``jar`` libraries first)
    that holds the main class; the others go on ``--jars``. Raises :class:`NotFoundError`
    naming the class and the jars looked in.
    """
    primary = jar_with_class(main_class, candidates)
    jars = [jar for jar in options.jars if jar != primary]
    argv = [str(installation.spark_submit), *_options(options, jars=jars, user=frozenset())]
    return [*argv, "--class", main_class, str(primary), *parameters]


def jar_with_class(main_class: str, candidates: Sequence[Path]) -> Path:
    """The first jar in ``candidates`` that contains ``main_class``."""
    entry = main_class.replace(".", "/") + ".class"
    for jar in candidates:
        try:
            with zipfile.ZipFile(jar) as archive:
                if entry in archive.NameToInfo:
                    return jar
        except (OSError, zipfile.BadZipFile) as error:
            raise InvalidInputError(f"jar {jar} cannot be read as a jar: {error}") from None
    if not candidates:
        raise InvalidInputError(
            f"main class {main_class}: the task has no jar to run it from "
            "(add a jar or maven library to its libraries)"
        )
    looked_in = ", ".join(jar.name for jar in candidates)
    raise NotFoundError(f"main class {main_class} is not in the task's jars ({looked_in})")


def submit_task_argv(
    installation: SparkInstallation,
    options: DriverOptions,
    parameters: Sequence[str],
    *,
    settings: Settings,
    find_application: Callable[[str], Path] | None = None,
) -> list[str]:
    """``spark-submit <brickyard's options> <the user's arguments>``.

    The user's ``--master``, ``--driver-memory`` and each ``--conf key=...`` win over
    brickyard's; the user's ``--jars`` are added after brickyard's (the lakehouse catalog and
    the libraries). ``find_application`` maps the application's path to its local file (as
    a library path is found; it raises when there is none). Raises
    :class:`InvalidInputError` when there is no application to run.
    """
    user_options, application = split_submit_arguments(
        [local_argument(argument, settings) for argument in parameters]
    )
    if not application:
        raise InvalidInputError(
            "spark_submit_task.parameters: no application (a .jar or .py file) after the "
            "spark-submit options"
        )
    if find_application is not None:
        application[0] = str(find_application(application[0]))
    user_jars: list[str] = []
    kept: list[str] = []
    user_set: set[str] = set()
    for option in user_options:
        name, value = option[0], option[1] if len(option) > 1 else None
        if name == "--jars" and value is not None:
            user_jars.extend(jar for jar in value.split(",") if jar)
            continue
        if name == "--conf" and value is not None:
            user_set.add(f"conf:{value.partition('=')[0]}")
        else:
            user_set.add(name)
        kept.extend(option)
    jars: list[str | Path] = [*options.jars, *user_jars]
    argv = [str(installation.spark_submit), *_options(options, jars=jars, user=frozenset(user_set))]
    if "--packages" in user_set:
        argv += _package_options(settings, frozenset(user_set))
    return [*argv, *kept, *application]


def _package_options(settings: Settings, user: frozenset[str]) -> list[str]:
    """For the user's ``--packages``: the configured repositories (spark-submit's own Ivy
    adds Maven Central itself) and an Ivy folder in the brickyard home, not ``~/.ivy2``."""
    options: list[str] = []
    if "--repositories" not in user and settings.maven_repositories:
        options += ["--repositories", ",".join(settings.maven_repositories)]
    if "conf:spark.jars.ivy" not in user:
        options += ["--conf", f"spark.jars.ivy={settings.spark_root / 'maven' / 'ivy-submit'}"]
    return options


def split_submit_arguments(arguments: Sequence[str]) -> tuple[list[list[str]], list[str]]:
    """spark-submit's arguments as its options (``[name, value]`` or ``[flag]``) and the
    application with its own arguments (the first argument that is not an option, on)."""
    options: list[list[str]] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if not argument.startswith("-"):
            return options, list(arguments[index:])
        if "=" in argument and argument.startswith("--"):  # --master=local[2]
            name, _, value = argument.partition("=")
            options.append([name, value])
            index += 1
        elif argument in SUBMIT_FLAGS or index + 1 >= len(arguments):
            options.append([argument])
            index += 1
        else:
            options.append([argument, arguments[index + 1]])
            index += 2
    return options, []


def local_argument(argument: str, settings: Settings) -> str:
    """``argument`` with each comma-separated ``dbfs:/`` or ``/Volumes/`` path replaced by
    the local file it names (``--jars dbfs:/a.jar,dbfs:/b.jar`` too)."""
    parts = argument.split(",")
    mapped = []
    for part in parts:
        local = storage_path(part, settings) if _is_storage_path(part) else None
        mapped.append(str(local) if local is not None else part)
    return ",".join(mapped)


def _is_storage_path(text: str) -> bool:
    return text.lower().startswith("dbfs:/") or text.startswith("/Volumes/")


def _options(
    options: DriverOptions, *, jars: Sequence[str | Path], user: frozenset[str]
) -> list[str]:
    conf = options.conf()
    argv: list[str] = []
    if "--master" not in user:
        argv += ["--master", options.plan.master]
    memory = conf.pop("spark.driver.memory", None)
    if memory and "--driver-memory" not in user:
        argv += ["--driver-memory", memory]
    all_jars = spark_jars(conf, [str(jar) for jar in jars])
    conf.pop("spark.jars", None)
    for key, value in conf.items():
        if f"conf:{key}" not in user:
            argv += ["--conf", f"{key}={value}"]
    if all_jars:
        argv += ["--jars", all_jars]
    return argv
