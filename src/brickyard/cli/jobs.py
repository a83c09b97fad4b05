"""``brickyard jobs``: pause, resume, backfill and list the stored jobs.

Pausing and resuming write the job's settings to the store (a new version); a running
``brickyard server`` sees the change through the job's trigger rows within a second, so they
work whether or not a server is running. A backfill creates its runs in one transaction and
drives them in this process, like ``brickyard run``.
"""

from __future__ import annotations

import json
import sys
from datetime import tzinfo
from typing import Annotated, Any, Final

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from brickyard import storage
from brickyard.app import build_services
from brickyard.cli.backfill_progress import (
    BackfillProgress,
    describe_plan,
    drive_backfill,
    print_backfill_summary,
)
from brickyard.cli.errors import CliExit, fail, reported
from brickyard.cli.job_refs import find_job, job_label
from brickyard.cli.options import parse_params
from brickyard.cli.store import open_store
from brickyard.clock import SystemClock
from brickyard.cron import java_timezone, parse_cron
from brickyard.errors import InvalidInputError
from brickyard.settings import Settings
from brickyard.spec.trigger_entries import describe_trigger as trigger_description
from brickyard.spec.triggers import TriggerKind
from brickyard.spec.update import PAUSED, UNPAUSED, with_pause_status
from brickyard.triggers.backfill import format_time, parse_time, plan_backfill, require_schedule
from brickyard.triggers.schedule import next_fire_ms

app = typer.Typer(help="Pause, resume, backfill and list jobs.", no_args_is_help=True)

JobArgument = Annotated[
    str, typer.Argument(help="A job id, a job file `brickyard run` ran, or a job name")
]

_PAGE: Final = 500
_NONE: Final = "—"
_PIPE_WIDTH: Final = 240


# --- pause / resume -------------------------------------------------------------------------


def _set_pause(ref: str, status: str) -> None:
    verb = "pause" if status == PAUSED else "resume"
    now = SystemClock().now_ms()
    with open_store() as database, database.transaction() as conn:
        job = find_job(conn, ref)
        settings, changed, paths = with_pause_status(job.settings, status)
        if not paths:
            raise fail(f"{job_label(job)} has no schedule, trigger or continuous setting to {verb}")
        if changed:
            job = storage.update_job_settings(conn, job.job_id, settings, now_ms=now)
        rows = storage.list_job_triggers(conn, job.job_id)
    state = "paused" if status == PAUSED else "active"
    if not changed:
        typer.echo(f"Job {job.job_id} {job.name!r} is already {state}: nothing changed.")
        return
    done = "Paused" if status == PAUSED else "Resumed"
    typer.echo(
        f"{done} {job_label(job)}: {', '.join(changed)} now {status} "
        f"(settings version {job.version})."
    )
    if status == UNPAUSED:
        for row in rows:
            fire = next_cron_fire(row, now)
            if fire is not None:
                ms, zone = fire
                typer.echo(f"Next run: {format_time(ms, zone)} ({describe_trigger(row)}).")


@app.command("pause")
@reported
def pause(job: JobArgument) -> None:
    """Pause every schedule, trigger and continuous setting of a job (a new settings version;
    a running server stops firing it within a second)."""
    _set_pause(job, PAUSED)


@app.command("resume")
@reported
def resume(job: JobArgument) -> None:
    """Unpause every schedule, trigger and continuous setting of a job; shows the next fire
    time of a cron schedule (nothing fires for the time spent paused)."""
    _set_pause(job, UNPAUSED)


# --- backfill --------------------------------------------------------------------------------


@app.command("backfill")
@reported
def backfill(
    job: JobArgument,
    from_: Annotated[
        str,
        typer.Option(
            "--from", help="Start of the range (ISO-8601; naive = the schedule's time zone)"
        ),
    ],
    to: Annotated[str, typer.Option("--to", help="End of the range, excluded (ISO-8601)")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="A job parameter NAME=VALUE, e.g. run_date={{backfill.iso_date}}"
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the intervals only")] = False,
) -> None:
    """One run per interval of the job's schedule in [--from, --to), oldest first, within
    the job's max_concurrent_runs (the rest wait QUEUED). Exit 0 when every run succeeded."""
    params = parse_params(param or [])
    settings = Settings.from_env()
    with open_store(settings) as database, database.read() as conn:
        record = find_job(conn, job)
    schedule = require_schedule(record)
    plan = plan_backfill(
        record,
        from_ms=parse_time(from_, schedule.zone, name="--from"),
        to_ms=parse_time(to, schedule.zone, name="--to"),
        job_parameters=params,
        schedule=schedule,
    )
    # soft wrap: a long line stays one line in logs and pipes (scripts grep them)
    console = Console(highlight=False, soft_wrap=True)
    if not plan.starts:
        zone = schedule.zone
        window = f"[{format_time(plan.from_ms, zone)}, {format_time(plan.to_ms, zone)})"
        console.print(
            escape(
                f"{schedule.description} has no fire time in {window}: nothing to backfill "
                f"for {job_label(record)}."
            )
        )
        return
    if dry_run:
        console.print(f"{escape(describe_plan(plan))} (dry run: nothing created)")
        for start in plan.starts:
            console.print(f"  {format_time(start, schedule.zone)}")
        return
    services = build_services(settings)
    try:
        with services.database.transaction() as conn:
            # one transaction: a request that fails leaves no half-made backfill behind
            runs = [services.engine.create_run(conn, request) for request in plan.requests()]
        services.engine.wake()
        started = services.clock.now_ms()
        console.print(f"[bold]{escape(describe_plan(plan))}[/bold]  (Ctrl-C cancels)")
        progress = BackfillProgress(console, plan, runs, services.clock.now_ms)
        progress.show_created(runs)
        finals = drive_backfill(services, progress, console)
        code = print_backfill_summary(console, plan, finals, services.clock.now_ms() - started)
    finally:
        services.close()
    raise CliExit(code)


# --- list -------------------------------------------------------------------------------------


def describe_trigger(row: storage.JobTriggerRecord) -> str:
    """A trigger for people: ``cron 0 0 2 * * ? Europe/Paris``, ``every 2 HOURS``..."""
    return trigger_description(row.kind, row.config)


def next_cron_fire(row: storage.JobTriggerRecord, now_ms: int) -> tuple[int, tzinfo] | None:
    """When an active cron schedule fires next (as the server would fire it), in its zone."""
    if row.kind is not TriggerKind.SCHEDULE or row.paused:
        return None
    try:
        expression = parse_cron(str(row.config.get("quartz_cron_expression", "")))
        zone = java_timezone(str(row.config.get("timezone_id", "UTC")))
    except InvalidInputError:
        return None  # stored before validation existed: the server does not fire it either
    fire = next_fire_ms(expression, zone, now_ms, row.last_fire_time)
    return None if fire is None else (fire, zone)


def _job_summary(
    job: storage.JobRecord, rows: list[storage.JobTriggerRecord], now: int
) -> dict[str, Any]:
    mixed = len({row.paused for row in rows}) > 1
    fires = [fire for row in rows if (fire := next_cron_fire(row, now)) is not None]
    first = min(fires, key=lambda fire: fire[0]) if fires else None
    return {
        "job_id": job.job_id,
        "name": job.name,
        "triggers": [
            {
                "kind": row.kind,
                "description": describe_trigger(row)
                + (" (paused)" if mixed and row.paused else ""),
                "paused": row.paused,
            }
            for row in rows
        ],
        "status": None if not rows else PAUSED if all(r.paused for r in rows) else "active",
        "next_fire_time": None if first is None else format_time(*first),
    }


@app.command("list")
@reported
def list_jobs(
    output: Annotated[str, typer.Option("--output", "-o", help="text or json")] = "text",
) -> None:
    """Every job with its triggers, whether they are paused, and when a cron schedule fires
    next."""
    if output not in ("text", "json"):
        raise fail(f"--output {output!r}: expected text or json")
    now = SystemClock().now_ms()
    summaries: list[dict[str, Any]] = []
    with open_store() as database, database.read() as conn:
        offset = 0
        while page := storage.list_jobs(conn, limit=_PAGE, offset=offset):
            offset += len(page)
            summaries.extend(
                _job_summary(job, storage.list_job_triggers(conn, job.job_id), now) for job in page
            )
    if output == "json":
        sys.stdout.write(json.dumps({"jobs": summaries}, indent=2) + "\n")
        return
    table = Table()
    for column in ("id", "name", "trigger", "status", "next run"):
        table.add_column(column)
    for summary in summaries:
        table.add_row(
            str(summary["job_id"]),
            escape(summary["name"]),
            escape("; ".join(t["description"] for t in summary["triggers"]) or _NONE),
            summary["status"] or _NONE,
            summary["next_fire_time"] or _NONE,
        )
    # a table piped to a file or another program is not cut to 80 columns
    Console(highlight=False, width=None if sys.stdout.isatty() else _PIPE_WIDTH).print(table)
