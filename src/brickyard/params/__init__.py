"""Parameter precedence and dynamic value references (``{{job.id}}``, ``{{tasks.x.values.y}}``).

Build a :class:`ResolutionContext` per run, resolve the job parameters with
:func:`resolve_job_parameters`, then per task :func:`resolve_task_parameters` with
``ctx.with_task(...)``.
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
    ResolvedTaskParameters,
    RunOverrides,
    resolve_job_parameters,
    resolve_task_parameters,
)
from brickyard.params.resolve import (
    TRIGGER_TYPE_TEXT,
    ReferenceResolutionError,
    format_time,
    reference_text,
    resolve_reference,
    resolve_text,
)

__all__ = [
    "ABSENT",
    "MAX_LEGACY_PARAM_BYTES",
    "TRIGGER_TYPE_TEXT",
    "JobParameterValue",
    "ReferenceResolutionError",
    "ResolutionContext",
    "ResolvedTaskParameters",
    "RunOverrides",
    "TableUpdate",
    "TaskIdentity",
    "UpstreamTask",
    "format_time",
    "reference_text",
    "resolve_job_parameters",
    "resolve_reference",
    "resolve_task_parameters",
    "resolve_text",
]
