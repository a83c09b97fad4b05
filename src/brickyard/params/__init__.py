"""Parameter precedence and dynamic value references (``{{job.id}}``, ``{{tasks.x.values.y}}``).

Build a :class:`ResolutionContext` per run and resolve the job parameters with
:func:`resolve_job_parameters`; each task type's :class:`ParameterRule` (kept with the type in
``brickyard.executors``) then resolves a task's parameters with ``ctx.with_task(...)``.
"""

from __future__ import annotations

from brickyard.params.context import (
    ABSENT,
    ResolutionContext,
    TableUpdate,
    TaskIdentity,
    UpstreamTask,
)
from brickyard.params.precedence import (
    MAX_LEGACY_PARAM_BYTES,
    JobParameterValue,
    RunOverrides,
    resolve_job_parameters,
)
from brickyard.params.resolve import (
    TRIGGER_TYPE_TEXT,
    ReferenceResolutionError,
    format_time,
    reference_text,
    resolve_reference,
    resolve_text,
)
from brickyard.params.task_parameters import (
    ParameterInputs,
    ParameterRule,
    ResolvedTaskParameters,
    no_parameters,
    pick_list,
    positional_parameters,
)

__all__ = [
    "ABSENT",
    "MAX_LEGACY_PARAM_BYTES",
    "TRIGGER_TYPE_TEXT",
    "JobParameterValue",
    "ParameterInputs",
    "ParameterRule",
    "ReferenceResolutionError",
    "ResolutionContext",
    "ResolvedTaskParameters",
    "RunOverrides",
    "TableUpdate",
    "TaskIdentity",
    "UpstreamTask",
    "format_time",
    "no_parameters",
    "pick_list",
    "positional_parameters",
    "reference_text",
    "resolve_job_parameters",
    "resolve_reference",
    "resolve_text",
]
