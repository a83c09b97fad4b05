"""What every task type's parameter rule shares: the resolved result, the rule's signature and
the resolving helpers.

A parameter rule applies the precedence layers (:mod:`brickyard.params.precedence`) to one task
type and resolves every reference; the rules live with their task types
(``brickyard.executors.<type>.parameters``) and are looked up through the executors' table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from brickyard.params.context import ResolutionContext
from brickyard.params.precedence import RunOverrides
from brickyard.params.resolve import resolve_text
from brickyard.spec.task_type import TaskType
from brickyard.spec.tasks import Task


@dataclass(frozen=True)
class ResolvedTaskParameters:
    """A task's parameters for one run, all layers applied and all references resolved.

    Which fields a task type fills:

    - notebook: ``widgets``;
    - Python script, JAR, spark-submit: ``argv``;
    - Python wheel: ``argv`` (positional) or ``named_parameters`` (``--k=v``, with pushdown);
    - SQL: ``named_parameters`` (the ``:name`` parameters, with pushdown);
    - pipeline: ``named_parameters`` (pipeline parameters, no pushdown);
    - Run Job: ``named_parameters`` (the child's job parameters: ``run_job_task.job_parameters``
      with this job's parameters pushed down; a caller keeps only the names the child job
      defines) and ``run_job_overrides`` (everything to start the child run with);
    - dbt: ``commands``; condition: ``condition``; for each: ``for_each_inputs``.
    """

    widgets: Mapping[str, str] = field(default_factory=dict)
    argv: tuple[str, ...] = ()
    named_parameters: Mapping[str, str] = field(default_factory=dict)
    condition: tuple[str, str] | None = None
    commands: tuple[str, ...] = ()
    for_each_inputs: str | None = None
    run_job_overrides: RunOverrides | None = None
    resolved_values: dict[str, Any] = field(default_factory=dict)
    """``RunTask.resolved_values`` (jobs-api.md §5.5), keyed by the task-type field."""


@dataclass(frozen=True)
class ParameterInputs:
    """What a parameter rule works from: the task, the run's layers and the references."""

    task: Task
    job_parameters: Mapping[str, str]
    """The run's resolved job parameter values (pushed down as they are)."""
    overrides: RunOverrides
    ctx: ResolutionContext

    def each(self, values: Sequence[str]) -> tuple[str, ...]:
        """Every string of a list, resolved."""
        return tuple(resolve_text(value, self.ctx) for value in values)

    def each_value(self, values: Mapping[str, str]) -> dict[str, str]:
        """Every value of a map, resolved."""
        return {key: resolve_text(value, self.ctx) for key, value in values.items()}

    def resolve(self, text: str) -> str:
        """One string, resolved."""
        return resolve_text(text, self.ctx)


class ParameterRule(Protocol):
    """A task type's precedence rule: its resolved parameters for one run."""

    def __call__(self, inputs: ParameterInputs) -> ResolvedTaskParameters:
        """Apply the layers to ``inputs.task`` (of this rule's type) and resolve them."""
        ...


def no_parameters(inputs: ParameterInputs) -> ResolvedTaskParameters:
    """The rule of a task type that takes no parameters brickyard knows of."""
    return ResolvedTaskParameters()


def pick_list(override: Sequence[str] | None, own: Sequence[str] | None) -> Sequence[str]:
    """A legacy list override replaces the task's own list."""
    if override is not None:
        return override
    return own or ()


def positional_parameters(task_type: TaskType, argv: tuple[str, ...]) -> ResolvedTaskParameters:
    """The result of a task type whose parameters are positional (``sys.argv[1:]``)."""
    return ResolvedTaskParameters(
        argv=argv, resolved_values={task_type.value: {"parameters": list(argv)}}
    )
