"""A task type as one definition: its parameter rule, runtime kind, executor and output.

Each task type's package (``brickyard.executors.<type>``) builds its
:class:`TaskTypeDefinition`; :mod:`brickyard.executors.registry` lists them in one table keyed
by :class:`~brickyard.spec.TaskType`. Nothing else in brickyard names a task type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from brickyard.compute.environments import EnvironmentCache
from brickyard.executors.base import Executor
from brickyard.executors.sources import SourceCheck
from brickyard.params import ParameterRule, no_parameters
from brickyard.settings import Settings
from brickyard.spec import TaskType
from brickyard.task_protocol import RuntimeKind
from brickyard.workspace import Workspace


class TaskOutput(StrEnum):
    """What ``runs/get-output`` shows of a task run beside its error."""

    NOTEBOOK_OUTPUT = "notebook_output"
    """``notebook_output``: the ``dbutils.notebook.exit`` value (the output is the notebook)."""
    LOGS = "logs"
    """``logs``: the tail of the process's stdout and stderr."""


@dataclass(frozen=True)
class ExecutorServices:
    """What an executor is built from (the app passes the concrete parts)."""

    settings: Settings
    workspace: Workspace
    environments: EnvironmentCache


ExecutorFactory = Callable[[ExecutorServices], Executor]
"""Builds a task type's executor once, when the registry is made."""


@dataclass(frozen=True)
class TaskTypeDefinition:
    """Everything brickyard knows about one task type."""

    task_type: TaskType
    parameters: ParameterRule = no_parameters
    """The precedence rule that resolves a task's parameters for a run."""
    runtime_kind: RuntimeKind | None = None
    """What its task process runs; None when it starts no process (or none yet)."""
    executor: ExecutorFactory | None = None
    """None for a type brickyard does not run (yet) or that the engine evaluates inline."""
    output: TaskOutput = TaskOutput.LOGS
    evaluated_by_engine: bool = False
    """Whether the engine decides the task inline, without a process (condition tasks)."""
    sources: SourceCheck | None = None
    """Checks that the files the task runs exist (``brickyard validate``); None: none to check."""

    @property
    def not_run_reason(self) -> str:
        """Why a task of this type gets no process, as a task run's message."""
        if self.evaluated_by_engine:
            return f"{self.task_type.value} tasks start no process: the engine evaluates them"
        if self.executor is not None:
            return f"{self.task_type.value} tasks are supported"
        return f"brickyard does not run {self.task_type.value} tasks yet"
