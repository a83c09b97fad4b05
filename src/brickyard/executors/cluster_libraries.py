"""Libraries installed on an all-purpose cluster reach the tasks that run on it.

On Databricks a library installed on a cluster (``libraries/install``) is importable by every
notebook attached to it. brickyard's task processes build their Python environment from the
task's ``libraries``, so a task on an ``existing_cluster_id`` gets the cluster's libraries
added to its own (the task's own first; one the task names too is not added twice).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from brickyard.executors.base import Executor, TaskLaunchRequest, TaskOutcome, TaskProcessPlan
from brickyard.spec import Library

ClusterLibraries = Callable[[str], Sequence[Library]]
"""The libraries available on a cluster, by cluster id (none for an unknown cluster)."""


class WithClusterLibraries:
    """An executor whose tasks on an all-purpose cluster get that cluster's libraries."""

    def __init__(self, executor: Executor, libraries_of: ClusterLibraries) -> None:
        self._executor = executor
        self._libraries_of = libraries_of

    def prepare(self, request: TaskLaunchRequest) -> TaskProcessPlan:
        """The inner executor's plan, for the task with the cluster's libraries added."""
        return self._executor.prepare(with_cluster_libraries(request, self._libraries_of))

    def read_outcome(self, plan: TaskProcessPlan, exit_status: int | None) -> TaskOutcome:
        """The inner executor's reading of the outcome."""
        return self._executor.read_outcome(plan, exit_status)


def with_cluster_libraries(
    request: TaskLaunchRequest, libraries_of: ClusterLibraries
) -> TaskLaunchRequest:
    """``request`` with its task's cluster libraries appended to the task's own."""
    cluster_id = request.task.existing_cluster_id
    if not cluster_id:
        return request
    own = list(request.task.libraries or [])
    added = [library for library in libraries_of(cluster_id) if library not in own]
    if not added:
        return request
    task = request.task.model_copy(update={"libraries": [*own, *added]})
    return dataclasses.replace(request, task=task)
