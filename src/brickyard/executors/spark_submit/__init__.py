"""``spark_submit_task``: ``spark-submit`` with the task's own arguments on a driver sized
like the task's cluster; its output is its logs."""

from __future__ import annotations

from brickyard.executors.definition import ExecutorServices, TaskOutput, TaskTypeDefinition
from brickyard.executors.spark_submit.executor import SparkSubmitExecutor
from brickyard.executors.spark_submit.parameters import spark_submit_parameters
from brickyard.executors.spark_submit.sources import spark_submit_sources
from brickyard.spec import TaskType


def _executor(services: ExecutorServices) -> SparkSubmitExecutor:
    return SparkSubmitExecutor(services.environments)


DEFINITION = TaskTypeDefinition(
    task_type=TaskType.SPARK_SUBMIT,
    parameters=spark_submit_parameters,
    executor=_executor,
    output=TaskOutput.LOGS,
    sources=spark_submit_sources,
)

__all__ = ["DEFINITION", "SparkSubmitExecutor", "spark_submit_parameters"]
