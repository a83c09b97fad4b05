"""The request bodies of the Jobs API as lenient pydantic models.

They check the fields a route reads (numbers may arrive as strings, booleans in any case,
unknown fields are kept) and describe the bodies in the OpenAPI document. Job settings inside a
body are checked again, whole, by :func:`brickyard.spec.parse_job_settings`.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from pydantic import AfterValidator, Field

from brickyard.api.dependencies import MAX_ID
from brickyard.api.openapi import request_body
from brickyard.spec import (
    ApiModel,
    ClusterSpec,
    JobSettings,
    LenientBool,
    LenientInt,
    LenientStr,
    Library,
    NotebookTask,
    PipelineParams,
    PythonWheelTask,
    QueueSettings,
    SparkJarTask,
    SparkPythonTask,
    SparkSubmitTask,
)
from brickyard.spec.base import StrList, StrMap

Id = Annotated[LenientInt, Field(ge=0, le=MAX_ID)]
"""A job, run or repair id in a request body."""

MAX_IDEMPOTENCY_TOKEN_LENGTH: Final = 64


def _check_idempotency_token(token: str) -> str:
    if len(token) > MAX_IDEMPOTENCY_TOKEN_LENGTH:
        raise ValueError(f"at most {MAX_IDEMPOTENCY_TOKEN_LENGTH} characters, got {len(token)}")
    return token


IdempotencyToken = Annotated[LenientStr, AfterValidator(_check_idempotency_token)]
"""run-now and submit's ``idempotency_token``: the same token gives the same run."""


class RequestModel(ApiModel):
    """A request body model that documents itself in the OpenAPI document."""

    @classmethod
    def openapi(cls) -> dict[str, Any]:
        """The route's ``openapi_extra`` describing this body."""
        return request_body(cls)


class AccessControlRequest(ApiModel):
    """One entry of ``access_control_list``."""

    user_name: str | None = None
    group_name: str | None = None
    service_principal_name: str | None = None
    permission_level: str | None = None


class CreateJobRequest(JobSettings):
    """``jobs/create``: job settings plus the initial permissions."""

    access_control_list: list[AccessControlRequest] | None = None

    @classmethod
    def openapi(cls) -> dict[str, Any]:
        """The route's ``openapi_extra`` describing this body."""
        return request_body(cls)


class JobIdRequest(RequestModel):
    """A body naming a job."""

    job_id: Id


class DeleteJobRequest(JobIdRequest):
    """``jobs/delete``."""


class ResetJobRequest(JobIdRequest):
    """``jobs/reset``: the job's new settings, whole."""

    new_settings: JobSettings


class UpdateJobRequest(JobIdRequest):
    """``jobs/update``: settings to merge in, and top-level fields to remove."""

    new_settings: JobSettings | None = None
    fields_to_remove: list[str] | None = None


class LegacyParameters(RequestModel):
    """The per-task-type parameters of run-now and repair (deprecated, still sent)."""

    job_parameters: StrMap | None = None
    notebook_params: StrMap | None = None
    python_named_params: StrMap | None = None
    sql_params: StrMap | None = None
    jar_params: StrList | None = None
    python_params: StrList | None = None
    spark_submit_params: StrList | None = None
    dbt_commands: StrList | None = None
    pipeline_params: PipelineParams | None = None


class RunNowRequest(LegacyParameters):
    """``jobs/run-now``."""

    job_id: Id
    idempotency_token: IdempotencyToken | None = None
    only: list[str] | None = None
    queue: QueueSettings | None = None
    performance_target: str | None = None


class SubmitRunRequest(JobSettings):
    """``runs/submit``: a one-time run, as ``tasks[]`` or the legacy single-task shape."""

    run_name: str | None = None
    idempotency_token: IdempotencyToken | None = None
    access_control_list: list[AccessControlRequest] | None = None
    existing_cluster_id: str | None = None
    new_cluster: ClusterSpec | None = None
    libraries: list[Library] | None = None
    notebook_task: NotebookTask | None = None
    spark_python_task: SparkPythonTask | None = None
    spark_jar_task: SparkJarTask | None = None
    spark_submit_task: SparkSubmitTask | None = None
    python_wheel_task: PythonWheelTask | None = None

    @classmethod
    def openapi(cls) -> dict[str, Any]:
        """The route's ``openapi_extra`` describing this body."""
        return request_body(cls)


class RunIdRequest(RequestModel):
    """A body naming a run."""

    run_id: Id


class CancelRunRequest(RunIdRequest):
    """``runs/cancel``."""


class DeleteRunRequest(RunIdRequest):
    """``runs/delete``."""


class CancelAllRunsRequest(RequestModel):
    """``runs/cancel-all``: every active run of a job, or every queued run."""

    job_id: Id | None = None
    all_queued_runs: LenientBool | None = None


class RepairRunRequest(LegacyParameters):
    """``runs/repair``."""

    run_id: Id
    rerun_tasks: list[str] | None = None
    rerun_all_failed_tasks: LenientBool | None = None
    rerun_dependent_tasks: LenientBool | None = None
    latest_repair_id: Id | None = Field(default=None)
    performance_target: str | None = None
