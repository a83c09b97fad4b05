"""The ``brickyard`` command: run jobs, inspect and repair runs, manage the workspace and the
local secret store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from brickyard.app import build_services, submit_job_file
from brickyard.cli import cron, jobs, runs, server, tokens, workspace_secrets
from brickyard.cli.errors import CliExit, fail, reported
from brickyard.cli.help_text import tidy_help
from brickyard.cli.job_checks import check_job_file, report, valid_summary
from brickyard.cli.options import parse_params
from brickyard.cli.running import drive
from brickyard.errors import JobValidationError, Problem
from brickyard.params import RunOverrides
from brickyard.settings import Settings
from brickyard.spec import LoadedJob, load_job_file
from brickyard.spec.update import active_trigger_paths

app = typer.Typer(
    name="brickyard",
    help="Run Databricks Workflows jobs on your own machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(runs.app, name="runs")
app.add_typer(jobs.app, name="jobs")
app.add_typer(workspace_secrets.workspace_app, name="workspace")
app.add_typer(workspace_secrets.secrets_app, name="secrets")
app.add_typer(tokens.app, name="token")
app.add_typer(cron.app, name="cron")
app.command("server")(server.server)

OutputOption = Annotated[
    str, typer.Option("--output", "-o", help="text (progress and a summary) or json (runs/get)")
]


def check_output(output: str) -> str:
    """Validate ``--output``."""
    if output not in ("text", "json"):
        raise fail(f"--output {output!r}: expected text or json")
    return output


@app.command()
@reported
def run(
    job_file: Annotated[Path, typer.Argument(help="The job: Jobs API JSON or YAML")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A job parameter NAME=VALUE")
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(help="Run only these task keys (comma-separated; +key / key+ add closures)"),
    ] = None,
    output: OutputOption = "text",
) -> None:
    """Run a job to completion with live progress. Exit 0 on SUCCESS or SUCCESS_WITH_FAILURES."""
    check_output(output)
    loaded = load_checked_job_file(job_file)
    # missing files are left to the run: --only may leave out the task that names one
    report(job_file, check_job_file(loaded, sources=None))
    job_parameters = parse_params(param or [])
    only_keys = [k.strip() for k in only.split(",") if k.strip()] if only is not None else None
    services = build_services(Settings.from_env())
    try:
        job, record = submit_job_file(
            services,
            loaded,
            overrides=RunOverrides(job_parameters=job_parameters or None),
            only=only_keys,
        )
        active = active_trigger_paths(job.settings)
        if active:
            typer.echo(
                f"Job {job.job_id} {job.name!r}: {', '.join(active)} active, so the next "
                f"brickyard server on {services.settings.home} fires it "
                f"(brickyard jobs pause {job.job_id} stops that).",
                err=output == "json",
            )
        code = drive(services, record, output=output)
    finally:
        services.close()
    raise CliExit(code)


@app.command()
@reported
def validate(job_file: Annotated[Path, typer.Argument(help="The job file to check")]) -> None:
    """Check a job file: every problem with its field path (exit 2), and every setting
    brickyard does not act on yet (a warning; exit 0)."""
    try:
        loaded = load_checked_job_file(job_file)
    except JobValidationError as error:
        for problem in error.problems:
            typer.echo(f"{job_file}: {problem}", err=True)
        raise CliExit(2) from None
    check = check_job_file(loaded, sources=Settings.from_env())
    report(job_file, check)
    typer.echo(valid_summary(job_file, loaded, check))


def load_checked_job_file(job_file: Path) -> LoadedJob:
    """The job in ``job_file``, validated (spec validation covers its schedules and triggers);
    a file with no tasks is refused."""
    loaded = load_job_file(job_file)
    if not loaded.settings.tasks:
        # The API stores task-less jobs (Databricks does too), but a file run or validated
        # here is a job to run: a fragment such as a notifications block is refused by both.
        problem = Problem("tasks", "the job has no tasks: add at least one entry to 'tasks'")
        raise JobValidationError([problem], source=str(job_file))
    return loaded


tidy_help(app)


def main() -> None:
    """The console-script entry point."""
    app()
