"""Jobs API wire JSON: runs and jobs as ``runs/get``, ``runs/list``, ``jobs/get`` and
``jobs/list`` return them, per API version, with the page tokens of paged reads.

The API renders its bodies here and the CLI prints the same ones (``brickyard runs get``), so
this package imports the store's records and nothing of the web stack. It sits above the
engine and storage and below the API; the engine hands out records, never wire JSON.
"""

from __future__ import annotations

from brickyard.views.jobs import render_job, render_listed_job, settings_view
from brickyard.views.paging import (
    ARRAY_PAGE_SIZE,
    decode_page_token,
    encode_page_token,
    page_arrays,
    truncate_arrays,
)
from brickyard.views.run_versions import (
    render_job_run,
    render_listed_run,
    render_task_run_as_run,
)
from brickyard.views.runs import render_run, render_task_run, run_page_url
from brickyard.views.versions import (
    SINGLE_TASK_FIELDS,
    ApiVersion,
    flatten_single_task,
    has_single_task_shape,
    lift_single_task,
    multi_task_view,
    single_task_key,
)

__all__ = [
    "ARRAY_PAGE_SIZE",
    "SINGLE_TASK_FIELDS",
    "ApiVersion",
    "decode_page_token",
    "encode_page_token",
    "flatten_single_task",
    "has_single_task_shape",
    "lift_single_task",
    "multi_task_view",
    "page_arrays",
    "render_job",
    "render_job_run",
    "render_listed_job",
    "render_listed_run",
    "render_run",
    "render_task_run",
    "render_task_run_as_run",
    "run_page_url",
    "settings_view",
    "single_task_key",
    "truncate_arrays",
]
