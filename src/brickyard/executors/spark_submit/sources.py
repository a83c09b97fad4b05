"""What a spark-submit task needs before it runs (``brickyard validate``): an application in
its parameters, and the local jars its libraries name."""

from __future__ import annotations

from brickyard.compute.spark.submit import split_submit_arguments
from brickyard.errors import Problem
from brickyard.executors.sources import SourceLookup
from brickyard.executors.spark_jar.sources import missing_jars
from brickyard.spec import Task


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
    return [*problems, *missing_jars(task, lookup)]
