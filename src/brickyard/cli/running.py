"""Driving a run in the foreground: progress, Ctrl-C to cancel (twice to stop at once), and
the result as text or as ``runs/get`` JSON."""

from __future__ import annotations

import json
import signal
import sys
from types import FrameType

from rich.console import Console
from rich.markup import escape

from brickyard import storage
from brickyard.app import Services
from brickyard.cli.errors import EXIT_FAILED
from brickyard.cli.progress import ProgressPrinter, print_summary
from brickyard.states import SUCCESSFUL_RESULTS
from brickyard.views import render_run
from brickyard.views.cluster_instances import add_cluster_instances


def drive(services: Services, run: storage.RunRecord, *, output: str) -> int:
    """Run the engine until ``run`` finishes; print progress and the result; return the exit
    code (0 for SUCCESS and SUCCESS_WITH_FAILURES, 1 otherwise)."""
    as_json = output == "json"
    console = Console(file=sys.stderr if as_json else sys.stdout, highlight=False)
    printer = ProgressPrinter(console, run.run_id)
    printer.set_task_keys([t.get("task_key", "") for t in run.settings.get("tasks", [])])
    services.events.subscribe(printer)
    if run.result_state is None:
        console.print(
            f"[bold]{escape(run.run_name)}[/bold]: run {run.run_id}"
            + (f" of job {run.job_id}" if run.job_id is not None else "")
            + "  (Ctrl-C cancels)",
            highlight=False,
        )
    interrupts = 0

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal interrupts
        interrupts += 1
        hard = interrupts > 1
        console.print(
            "[magenta]Stopping now: killing every task[/magenta]"
            if hard
            else "[magenta]Cancelling: running tasks are stopped, cleanup tasks still run "
            "(Ctrl-C again to stop at once)[/magenta]"
        )
        services.engine.interrupt(run.run_id, hard=hard)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    printer.start()
    try:
        final = services.engine.wait_for(run.run_id)
    finally:
        printer.stop()
        signal.signal(signal.SIGINT, previous)
        services.events.unsubscribe(printer)
    with services.database.read() as conn:
        task_runs = storage.list_task_runs(conn, final.run_id)
        repairs = storage.list_repairs(conn, final.run_id)
        history = storage.list_state_changes(conn, final.run_id)
    if as_json:
        body = render_run(
            final,
            task_runs,
            base_url=services.settings.base_url,
            repairs=repairs,
            history=history,
            include_history=True,
            include_resolved_values=True,
        )
        with services.database.read() as conn:
            add_cluster_instances(conn, final.run_id, body)
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
    else:
        print_summary(console, final, task_runs, services.settings)
    return 0 if final.result_state in SUCCESSFUL_RESULTS else EXIT_FAILED
