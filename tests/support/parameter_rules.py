"""Helpers for the parameter-rule tests of each task type's package."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from brickyard.params import (
    ParameterInputs,
    ResolutionContext,
    ResolvedTaskParameters,
    RunOverrides,
)
from brickyard.spec import Task

JOB_PARAMS = {"env": "prod", "date": "2026-11-21"}
"""The run's resolved job parameters."""
NO_OVERRIDES = RunOverrides()

Resolve = Callable[
    [Task, Mapping[str, str], RunOverrides, ResolutionContext], ResolvedTaskParameters
]


def task(**fields: Any) -> Task:
    """A task ``t`` with ``fields``."""
    return Task.model_validate({"task_key": "t", **fields})


def resolver(rule: Callable[[ParameterInputs], ResolvedTaskParameters]) -> Resolve:
    """``rule`` called the way the table calls it, with the arguments spelled out."""

    def resolve(
        task: Task,
        job_parameters: Mapping[str, str],
        overrides: RunOverrides,
        ctx: ResolutionContext,
    ) -> ResolvedTaskParameters:
        return rule(ParameterInputs(task, job_parameters, overrides, ctx))

    return resolve
