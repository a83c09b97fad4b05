"""``spark_jar_task``: a JAR's main class run by ``spark-submit`` on a driver sized like the
task's cluster; its output is its logs."""

from __future__ import annotations

from brickyard.executors.definition import ExecutorServices, TaskOutput, TaskTypeDefinition
from brickyard.executors.spark_jar.executor import SparkJarExecutor
from brickyard.executors.spark_jar.parameters import spark_jar_parameters
from brickyard.executors.spark_jar.sources import spark_jar_sources
from brickyard.spec import TaskType


def _executor(_services: ExecutorServices) -> SparkJarExecutor:
    return SparkJarExecutor()


DEFINITION = TaskTypeDefinition(
    task_type=TaskType.SPARK_JAR,
    parameters=spark_jar_parameters,
    executor=_executor,
    output=TaskOutput.LOGS,
    sources=spark_jar_sources,
)

__all__ = ["DEFINITION", "SparkJarExecutor", "spark_jar_parameters"]
