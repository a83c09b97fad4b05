"""The server log's WARNING lines for job settings a client sends (jobs/create, reset,
update, runs/submit): what ``brickyard validate`` would warn about or refuse.

Databricks' responses have no warnings field, and the API accepts what Databricks accepts
(an unknown ``*_task`` field included), so the log is where a server says it. Files are not
looked for: a client may upload the notebook after creating the job.
"""

from __future__ import annotations

import logging

from brickyard.executors.job_checks import check_job_settings
from brickyard.spec import JobSettings
from brickyard.triggers.evaluators import UNEVALUATED

logger = logging.getLogger(__name__)


def log_job_warnings(settings: JobSettings) -> None:
    """Log one WARNING per problem of ``settings`` that does not stop it being stored."""
    check = check_job_settings(settings, unevaluated_triggers=UNEVALUATED)
    for problem in (*check.errors, *check.warnings):
        logger.warning("job %r: %s", settings.name, problem)
