"""``brickyard cron next|explain``: what a Quartz cron schedule means and when it fires, exactly as
Databricks (Quartz 2.3.2) would fire it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

import typer

from brickyard.cli.errors import fail, reported
from brickyard.clock import SystemClock
from brickyard.cron import CronExpression, explain_cron, java_timezone, parse_cron

MAX_COUNT: Final = 1000
_EXPLAIN_FIRES: Final = 3

app = typer.Typer(
    help="Quartz cron expressions (schedule.quartz_cron_expression), as Databricks runs them.",
    no_args_is_help=True,
)

ExpressionArgument = Annotated[
    str,
    typer.Argument(
        help="A Quartz expression: seconds minutes hours day-of-month month day-of-week, then an "
        "optional year",
        show_default=False,
    ),
]
TimezoneOption = Annotated[
    str, typer.Option("--timezone", help="A Java time-zone id (schedule.timezone_id)")
]
AfterOption = Annotated[
    str | None,
    typer.Option(
        help="Start after this ISO-8601 time (default: now; without an offset it is read in "
        "--timezone)"
    ),
]


@app.command("next")
@reported
def next_fire_times(
    expression: ExpressionArgument,
    timezone: TimezoneOption = "UTC",
    after: AfterOption = None,
    count: Annotated[int, typer.Option(help=f"How many fire times (1-{MAX_COUNT})")] = 5,
) -> None:
    """Print the next fire times, one ISO-8601 time with its offset per line."""
    if not 1 <= count <= MAX_COUNT:
        raise fail(f"--count {count}: expected 1-{MAX_COUNT}")
    cron = parse_cron(expression)
    zone = java_timezone(timezone)
    start = _start(after, zone)
    fires = _fires(cron, start, count)
    for fire in fires:
        typer.echo(fire.isoformat())
    if len(fires) < count:
        since = (fires[-1] if fires else start).isoformat()
        typer.echo(
            f"brickyard: note: {expression!r} never fires after {since} "
            f"({len(fires)} of {count} fire times)",
            err=True,
        )


@app.command("explain")
@reported
def explain(
    expression: ExpressionArgument,
    timezone: TimezoneOption = "UTC",
    after: AfterOption = None,
) -> None:
    """Say in English what the expression does, and show its next fire times."""
    cron = parse_cron(expression)
    zone = java_timezone(timezone)
    start = _start(after, zone)
    typer.echo(explain_cron(cron))
    fires = _fires(cron, start, _EXPLAIN_FIRES)
    if not fires:
        typer.echo(f"It never fires after {start.isoformat()}.")
        return
    typer.echo(f"Next fire times ({timezone}):")
    for fire in fires:
        typer.echo(f"  {fire.isoformat()}")


def _start(after: str | None, zone: dt.tzinfo) -> dt.datetime:
    if after is None:
        return dt.datetime.fromtimestamp(SystemClock().now_ms() // 1000, zone)
    try:
        moment = dt.datetime.fromisoformat(after)
    except ValueError:
        raise fail(
            f"--after {after!r}: expected an ISO-8601 time such as 2026-03-29T02:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _fires(cron: CronExpression, start: dt.datetime, count: int) -> list[dt.datetime]:
    fires: list[dt.datetime] = []
    moment: dt.datetime | None = start
    while len(fires) < count and moment is not None:
        moment = cron.next_after(moment)
        if moment is not None:
            fires.append(moment)
    return fires
