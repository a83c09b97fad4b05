"""The one table of task types: each :class:`~brickyard.spec.TaskType`'s definition, and the
registry that builds their executors and answers the engine's questions by it.

Adding a task type: its package ``brickyard.executors.<type>`` with a ``DEFINITION`` and one
entry in :data:`TASK_TYPES` (docs/ARCHITECTURE.md, "Adding a task type").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from brickyard.compute.environments import EnvironmentCache
from brickyard.executors import (
    condition,
    dbt,
    for_each,
    notebook,
    pipeline,
    python_script,
    python_wheel,
    run_job,
    spark_jar,
    spark_submit,
    sql,
)
from brickyard.executors.base import Executor
from brickyard.executors.cluster_libraries import ClusterLibraries, WithClusterLibraries
from brickyard.executors.definition import ExecutorServices, TaskOutput, TaskTypeDefinition
from brickyard.params import (
    ParameterInputs,
    ResolutionContext,
    ResolvedTaskParameters,
    RunOverrides,
)
from brickyard.settings import Settings
from brickyard.spec import Task, TaskType
from brickyard.workspace import Workspace

_KNOWN_BY_NAME_ONLY = (
    TaskType.CLEAN_ROOMS_NOTEBOOK,
    TaskType.DASHBOARD,
    TaskType.POWER_BI,
    TaskType.ALERT,
    TaskType.DBT_CLOUD,
    TaskType.DBT_PLATFORM,
    TaskType.GEN_AI_COMPUTE,
    TaskType.PYTHON_OPERATOR,
    TaskType.AI_FUNCTION,
    TaskType.AI_RUNTIME,
    TaskType.GENIE,
    TaskType.AGENTIC,
)
"""Types kept verbatim and not run, with no parameters brickyard resolves."""

TASK_TYPES: Mapping[TaskType, TaskTypeDefinition] = MappingProxyType(
    {
        definition.task_type: definition
        for definition in (
            notebook.DEFINITION,
            python_script.DEFINITION,
            python_wheel.DEFINITION,
            condition.DEFINITION,
            spark_jar.DEFINITION,
            spark_submit.DEFINITION,
            sql.DEFINITION,
            dbt.DEFINITION,
            pipeline.DEFINITION,
            run_job.DEFINITION,
            for_each.DEFINITION,
            *(TaskTypeDefinition(task_type=task_type) for task_type in _KNOWN_BY_NAME_ONLY),
        )
    }
)
"""Every task type's definition (a test checks that each TaskType has exactly one)."""


def definition_of(task_type: TaskType) -> TaskTypeDefinition:
    """The definition of ``task_type``."""
    return TASK_TYPES[task_type]


def task_output(task_fields: Mapping[str, Any]) -> TaskOutput:
    """What ``runs/get-output`` shows for a stored task object (``logs`` for an unknown one)."""
    task_type = TaskType.of_fields(task_fields)
    return TaskOutput.LOGS if task_type is None else TASK_TYPES[task_type].output


def resolve_task_parameters(
    task: Task,
    job_parameters: Mapping[str, str],
    overrides: RunOverrides,
    ctx: ResolutionContext,
) -> ResolvedTaskParameters:
    """Apply ``task``'s type's parameter rule and resolve every reference with ``ctx``;
    a task without a known type has no parameters.

    ``job_parameters`` are the run's resolved job parameter values (pushed down as they are).
    """
    task_type = task.task_type
    if task_type is None:
        return ResolvedTaskParameters()
    return TASK_TYPES[task_type].parameters(ParameterInputs(task, job_parameters, overrides, ctx))


class ExecutorRegistry:
    """The executors of the task types that run as a task process, built from the table."""

    def __init__(
        self,
        settings: Settings,
        workspace: Workspace,
        environments: EnvironmentCache,
        *,
        cluster_libraries: ClusterLibraries | None = None,
    ) -> None:
        self.settings = settings
        services = ExecutorServices(settings, workspace, environments)
        self._executors: dict[TaskType, Executor] = {
            task_type: definition.executor(services)
            for task_type, definition in TASK_TYPES.items()
            if definition.executor is not None
        }
        if cluster_libraries is not None:
            self._executors = {
                task_type: WithClusterLibraries(executor, cluster_libraries)
                for task_type, executor in self._executors.items()
            }

    @property
    def task_types(self) -> tuple[TaskType, ...]:
        """The task types that have an executor."""
        return tuple(self._executors)

    def executor_for(self, task: Task) -> Executor | None:
        """The executor of ``task``'s type; None for condition tasks (the engine evaluates them)
        and for task types brickyard does not run (see :meth:`unsupported_reason`)."""
        task_type = task.task_type
        return self._executors.get(task_type) if task_type is not None else None

    def unsupported_reason(self, task: Task) -> str:
        """Why :meth:`executor_for` has no executor for ``task``, as a task run's message."""
        task_type = task.task_type
        if task_type is not None:
            return TASK_TYPES[task_type].not_run_reason
        fields = task.task_type_fields
        if fields:  # a *_task field brickyard does not know
            return f"brickyard does not run {fields[0]} tasks yet"
        return f"task {task.task_key!r} has no task type (such as {TaskType.NOTEBOOK.value})"

    def resolve_parameters(
        self,
        task: Task,
        job_parameters: Mapping[str, str],
        overrides: RunOverrides,
        ctx: ResolutionContext,
    ) -> ResolvedTaskParameters:
        """``task``'s parameters for one run, by its type's rule."""
        return resolve_task_parameters(task, job_parameters, overrides, ctx)
