"""``brickyard runs``: list, get, logs, repair and cancel runs.

Every command first lets the engine settle runs whose engine is gone (a killed ``brickyard
run``), so what it shows is consistent: no task stays RUNNING without a process behind it.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from brickyard import storage
from brickyard.app import Services, build_services, job_file_of, register_job_file
from brickyard.cli.errors import CliExit, fail, reported
from brickyard.cli.options import parse_params
from brickyard.cli.progress import seconds
from brickyard.cli.running import drive
from brickyard.cli.task_logs import follow_task_logs
from brickyard.engine import RepairRequest
from brickyard.errors import NotFoundError
from brickyard.params import RunOverrides
from brickyard.settings import Settings
from brickyard.spec import load_job_file
from brickyard.task_protocol import TaskFiles
from brickyard.views import render_run
from brickyard.views.cluster_instances import add_cluster_instances

app = typer.Typer(help="Inspect, repair and cancel runs.", no_args_is_help=True)


def open_services() -> Services:
    """Services with orphaned runs settled."""
    services = build_services(Settings.from_env(), control_socket=False)
    services.engine.recover_orphans()
    return services


@app.command("list")
@reported
def list_runs(
    job_id: Annotated[int | None, typer.Option(help="Only runs of this job")] = None,
    limit: Annotated[int, typer.Option(help="How many runs (newest first)")] = 25,
    active_only: Annotated[bool, typer.Option(help="Only runs that have not finished")] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="text or json")] = "text",
) -> None:
    """List runs, newest first."""
    services = open_services()
    try:
        with services.database.read() as conn:
            records = storage.list_runs(conn, job_id=job_id, active_only=active_only, limit=limit)
    finally:
        services.close()
    if output == "json":
        body = [
            render_run(r, [], base_url=services.settings.base_url) | {"tasks": []} for r in records
        ]
        sys.stdout.write(json.dumps({"runs": body}, indent=2) + "\n")
        return
    table = Table()
    for column in ("run", "job", "name", "state", "result", "started", "duration"):
        table.add_column(column)
    for record in records:
        started = datetime.fromtimestamp(record.start_time / 1000, tz=UTC)
        table.add_row(
            str(record.run_id),
            str(record.job_id or ""),
            record.run_name,
            record.life_cycle_state.value,
            record.result_state.value if record.result_state else "",
            started.strftime("%Y-%m-%d %H:%M:%S UTC"),
            seconds(record.start_time, record.end_time),
        )
    Console(highlight=False).print(table)


@app.command("get")
@reported
def get_run(
    run_id: Annotated[int, typer.Argument(help="The job run id")],
    include_history: Annotated[bool, typer.Option(help="Include repair_history")] = True,
) -> None:
    """Print a run as the Jobs API's runs/get returns it (JSON)."""
    services = open_services()
    try:
        with services.database.read() as conn:
            record = storage.read_run(conn, run_id)
            task_runs = storage.list_task_runs(conn, run_id)
            repairs = storage.list_repairs(conn, run_id)
            history = storage.list_state_changes(conn, run_id)
        body = render_run(
            record,
            task_runs,
            base_url=services.settings.base_url,
            repairs=repairs,
            history=history,
            include_history=include_history,
            include_resolved_values=True,
            now_ms=services.clock.now_ms(),
        )
        with services.database.read() as conn:
            add_cluster_instances(conn, run_id, body)
    finally:
        services.close()
    sys.stdout.write(json.dumps(body, indent=2) + "\n")


@app.command("logs")
@reported
def logs(
    run_id: Annotated[int, typer.Argument(help="A job run id or a task run id")],
    task: Annotated[str | None, typer.Option(help="Only this task key")] = None,
    attempt: Annotated[int | None, typer.Option(help="Only this attempt number")] = None,
    follow: Annotated[
        bool,
        typer.Option("--follow", "-f", help="With --task: print new output until the task ends"),
    ] = False,
) -> None:
    """Print the stdout and stderr of a run's task runs (the latest attempt of each, unless
    --attempt). With --follow, tail a running task (its retries too) until it ends."""
    if follow:
        if task is None or attempt is not None:
            raise fail("--follow needs --task KEY (and follows the latest attempt)")
        # Settled first (open_services): a run whose brickyard run was killed ends instead
        # of being followed forever.
        services = open_services()
        try:
            follow_task_logs(services.database, run_id, task)
        finally:
            services.close()
        return
    services = open_services()
    try:
        with services.database.read() as conn:
            try:
                task_runs = [storage.read_task_run(conn, run_id)]
            except NotFoundError:
                storage.read_run(conn, run_id)
                task_runs = storage.list_task_runs(conn, run_id)
    finally:
        services.close()
    if task is not None:
        task_runs = [tr for tr in task_runs if tr.task_key == task]
        if not task_runs:
            raise fail(f"run {run_id} has no task {task!r}")
    if attempt is not None:
        task_runs = [tr for tr in task_runs if tr.attempt_number == attempt]
    elif len({tr.task_key for tr in task_runs}) != len(task_runs):
        latest: dict[str, storage.TaskRunRecord] = {}
        for tr in task_runs:
            latest[tr.task_key] = tr
        task_runs = list(latest.values())
    for task_run in task_runs:
        _print_task_logs(task_run)


def _print_task_logs(task_run: storage.TaskRunRecord) -> None:
    header = (
        f"== {task_run.task_key} (task run {task_run.run_id}, attempt {task_run.attempt_number})"
    )
    sys.stdout.write(header + "\n")
    if task_run.task_dir is None:
        sys.stdout.write(f"   (no logs: {task_run.state_message or 'the task did not start'})\n")
        return
    files = TaskFiles.of(Path(task_run.task_dir))
    for path in (files.stdout, files.stderr):
        if path.exists() and path.stat().st_size:
            text = path.read_text(errors="replace")
            sys.stdout.write(f"-- {path.name} ({path})\n")
            sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command("repair")
@reported
def repair(
    run_id: Annotated[int, typer.Argument(help="The finished job run to repair")],
    task: Annotated[
        list[str] | None, typer.Option("--task", "-t", help="Re-run this task (repeatable)")
    ] = None,
    dependents: Annotated[
        bool, typer.Option(help="Also re-run the tasks downstream of the chosen ones")
    ] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A job parameter NAME=VALUE")
    ] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="text or json")] = "text",
) -> None:
    """Re-run the failed tasks of a finished run (or the tasks named with ``--task``) inside
    the same run, with the job's current settings."""
    services = build_services(Settings.from_env())
    try:
        services.engine.recover_orphans()
        with services.database.read() as conn:
            record = storage.read_run(conn, run_id)
        settings = None
        if record.job_id is not None:
            path = job_file_of(services, record.job_id)
            if path is not None:
                loaded = load_job_file(path)
                register_job_file(services, loaded)
                settings = loaded.settings
        params = parse_params(param or [])
        services.engine.repair(
            RepairRequest(
                run_id=run_id,
                rerun_tasks=task or None,
                rerun_all_failed_tasks=not task,
                rerun_dependent_tasks=dependents,
                latest_repair_id=record.latest_repair_id,
                overrides=RunOverrides(job_parameters=params or None),
                settings=settings,
            )
        )
        with services.database.read() as conn:
            repaired = storage.read_run(conn, run_id)
        code = drive(services, repaired, output=output)
    finally:
        services.close()
    raise CliExit(code)


@app.command("cancel")
@reported
def cancel(run_id: Annotated[int, typer.Argument(help="The job run to cancel")]) -> None:
    """Ask the engine running a run to cancel it (cleanup tasks still run)."""
    services = open_services()
    try:
        services.engine.cancel_run(run_id)
    finally:
        services.close()
    typer.echo(f"Cancellation of run {run_id} requested.")
