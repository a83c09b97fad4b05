"""Job settings as clients send them, made into what brickyard stores and runs.

Per version (jobs-api.md §8): a 2.0-style single-task body is lifted into ``tasks[0]``; the
``format`` a client sends is ignored; 2.2 enables queueing unless the body says otherwise.
"""

from __future__ import annotations

from typing import Any

from brickyard.api.job_warnings import log_job_warnings
from brickyard.api.versions import ApiVersion, has_single_task_shape, lift_single_task
from brickyard.errors import InvalidInputError, JobValidationError
from brickyard.spec import JobSettings, parse_job_settings

UNTITLED = "Untitled"


def settings_from_request(
    raw: Any, version: ApiVersion, *, field: str = "", name_field: str = "name"
) -> JobSettings:
    """Validated settings from a create/reset/submit body (``field`` names where it came from
    in error messages, e.g. ``new_settings``)."""
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{field or 'the request body'}: expected a JSON object")
    body = {k: v for k, v in raw.items() if k != "format"}
    if has_single_task_shape(body):
        body = lift_single_task(body, name=body.get(name_field) or UNTITLED)
    if version is ApiVersion.V2_2 and body.get("queue") is None:
        body["queue"] = {"enabled": True}
    return validated(body, field)


def validated(body: dict[str, Any], field: str = "") -> JobSettings:
    """``body`` checked as job settings; problems are reported under ``field``, what brickyard
    will not act on is logged."""
    try:
        settings = parse_job_settings(body)
    except JobValidationError as exc:
        if not field:
            raise
        raise InvalidInputError(
            "; ".join(
                f"{field}.{p.path}: {p.message}" if p.path else f"{field}: {p.message}"
                for p in exc.problems
            )
        ) from exc
    log_job_warnings(settings)
    return settings


def stored_settings(settings: JobSettings) -> dict[str, Any]:
    """What is stored for a job: the settings as given, named ``Untitled`` when unnamed."""
    stored = settings.to_api()
    stored.setdefault("name", UNTITLED)
    return stored
