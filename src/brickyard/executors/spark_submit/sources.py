"""What a spark-submit task needs before it runs (``brickyard validate``): an application in
its parameters, and the local jars its libraries name."""

from __future__ import annotations

from functools import partial

from brickyard.compute.spark.submit import split_submit_arguments
from brickyard.errors import Problem
from brickyard.executors.sources import SourceLookup, missing
from brickyard.executors.spark_jar.sources import missing_jars
from brickyard.spec import Task


def _is_reference(text: str) -> bool:
    # a dynamic value reference is resolved at run time; its file is not known yet
    return "{{" in text


def spark_submit_sources(task: Task, lookup: SourceLookup) -> list[Problem]:
    """No application after the options, and each jar library not found."""
    submit = task.spark_submit_task
    if submit is None:
        return []
    problems: list[Problem] = []
    _options, application = split_submit_arguments(submit.parameters or [])
    if not application:
        problems.append(
            Problem(
                "spark_submit_task.parameters",
                "no application (a .jar or .py file) after the spark-submit options",
            )
        )
    elif not _is_reference(application[0]):
        index = len(submit.parameters or []) - len(application)
        problems.extend(
            missing(
                f"spark_submit_task.parameters[{index}]",
                partial(lookup.local_file, application[0]),
            )
        )
    return [*problems, *missing_jars(task, lookup)]
