"""What ``brickyard validate`` and ``brickyard run`` say about a job file beyond its schema:
unknown task types and missing files (errors), settings brickyard does not act on yet and
task types it does not run yet (warnings, one line each)."""

from __future__ import annotations

from pathlib import Path

import typer

from brickyard.cli.errors import EXIT_BAD_INPUT, CliExit
from brickyard.executors.job_checks import JobCheck, check_job_settings
from brickyard.executors.sources import SourceLookup
from brickyard.settings import Settings
from brickyard.spec import LoadedJob
from brickyard.triggers.evaluators import UNEVALUATED


def check_job_file(loaded: LoadedJob, *, sources: Settings | None) -> JobCheck:
    """The checks of a loaded job file; with ``sources`` (brickyard's settings: where the
    workspace and ``dbfs:/`` live) the tasks' files are looked for too."""
    lookup = (
        SourceLookup(
            settings=sources,
            base_dir=loaded.base_dir,
            has_git_source=loaded.settings.git_source is not None,
        )
        if sources is not None
        else None
    )
    return check_job_settings(loaded.settings, unevaluated_triggers=UNEVALUATED, sources=lookup)


def report(job_file: Path, check: JobCheck) -> None:
    """Print each error (``<file>: <path>: <message>``) and each warning
    (``warning: <path>: <message>``) to stderr; exit 2 when there is an error."""
    for error in check.errors:
        typer.echo(f"{job_file}: {error}", err=True)
    for warning in check.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if check.errors:
        raise CliExit(EXIT_BAD_INPUT)


def valid_summary(job_file: Path, loaded: LoadedJob, check: JobCheck) -> str:
    """``job.json: valid (3 tasks, 1 warning)``."""
    summary = _counted(len(loaded.settings.tasks or ()), "task")
    if check.warnings:
        summary += f", {_counted(len(check.warnings), 'warning')}"
    return f"{job_file}: valid ({summary})"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"
