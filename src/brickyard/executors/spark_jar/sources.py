"""What a JAR task needs before it runs (``brickyard validate``): a main class, a jar or maven
library to find it in, and the local jars it names."""

from __future__ import annotations

from functools import partial

from brickyard.errors import Problem
from brickyard.executors.sources import SourceLookup, missing
from brickyard.spec import Task


def spark_jar_sources(task: Task, lookup: SourceLookup) -> list[Problem]:
    """The missing main class, a task with no jar at all, and each jar file not found."""
    jar_task = task.spark_jar_task
    if jar_task is None:
        return []
    problems: list[Problem] = []
    if not (jar_task.main_class_name or "").strip():
        problems.append(
            Problem(
                "spark_jar_task.main_class_name",
                "a JAR task needs main_class_name: the class whose main method runs",
            )
        )
    libraries = task.libraries or []
    if not jar_task.jar_uri and not any(lib.jar or lib.maven for lib in libraries):
        problems.append(
            Problem(
                "libraries",
                "a JAR task needs a jar or maven library holding its main class",
            )
        )
    return [*problems, *missing_jars(task, lookup)]


def missing_jars(task: Task, lookup: SourceLookup) -> list[Problem]:
    """Each ``jar`` library (and a JAR task's ``jar_uri``) whose file is not there."""
    problems: list[Problem] = []
    for index, library in enumerate(task.libraries or ()):
        if library.jar is not None:
            problems.extend(
                missing(f"libraries[{index}].jar", partial(lookup.local_file, library.jar))
            )
    jar_task = task.spark_jar_task
    if jar_task is not None and jar_task.jar_uri:
        problems.extend(
            missing("spark_jar_task.jar_uri", partial(lookup.local_file, jar_task.jar_uri))
        )
    return problems
