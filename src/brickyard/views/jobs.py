"""Jobs as ``jobs/get`` and ``jobs/list`` return them, per API version."""

from __future__ import annotations

from typing import Any, Final

from brickyard import storage
from brickyard.views.paging import encode_page_token, page_arrays, truncate_arrays
from brickyard.views.versions import ApiVersion, flatten_single_task, multi_task_view

PAGED_SETTINGS_ARRAYS: Final = ("tasks", "job_clusters", "environments", "parameters")
"""The settings arrays 2.2 pages at 100 entries (jobs-api.md §3)."""

LIST_HIDDEN_FIELDS: Final = ("tasks", "job_clusters")
"""What ``jobs/list`` leaves out of each job's settings unless ``expand_tasks``."""


def settings_view(settings: dict[str, Any], version: ApiVersion) -> dict[str, Any]:
    """Stored settings in a version's shape."""
    if version is ApiVersion.V2_0:
        return flatten_single_task(settings)
    return multi_task_view(settings)


def render_job(job: storage.JobRecord, version: ApiVersion, *, page: int = 0) -> dict[str, Any]:
    """A ``jobs/get`` body; in 2.2 the settings arrays hold page ``page`` of their entries and
    ``next_page_token`` is present only while some array has more."""
    settings = settings_view(job.settings, version)
    body = _job_fields(job)
    if version is ApiVersion.V2_2:
        settings, more = page_arrays(settings, PAGED_SETTINGS_ARRAYS, page)
        if more:
            body["next_page_token"] = encode_page_token(page + 1)
    body["settings"] = settings
    return body


def render_listed_job(
    job: storage.JobRecord, version: ApiVersion, *, expand_tasks: bool
) -> dict[str, Any]:
    """One ``jobs/list`` entry (BaseJob)."""
    settings = settings_view(job.settings, version)
    body = _job_fields(job)
    if not expand_tasks and version is not ApiVersion.V2_0:
        settings = {k: v for k, v in settings.items() if k not in LIST_HIDDEN_FIELDS}
    elif version is ApiVersion.V2_2:
        settings, more = truncate_arrays(settings, PAGED_SETTINGS_ARRAYS)
        if more:
            body["has_more"] = True
    body["settings"] = settings
    return body


def _job_fields(job: storage.JobRecord) -> dict[str, Any]:
    body: dict[str, Any] = {"job_id": job.job_id, "created_time": job.created_time}
    if job.creator_user_name:
        body["creator_user_name"] = job.creator_user_name
    run_as = job.settings.get("run_as")
    run_as_user = None
    if isinstance(run_as, dict):
        run_as_user = run_as.get("user_name") or run_as.get("service_principal_name")
    if run_as_user or job.creator_user_name:
        body["run_as_user_name"] = run_as_user or job.creator_user_name
    return body
