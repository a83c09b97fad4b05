"""Store transactions per engine loop step, for the benchmark shapes.

Runs a shape in-process through the real engine (real SQLite store, real task processes) and
counts every ``Database.transaction`` opened inside each ``Engine.run_once``. Reports, over the
steps that wrote anything, the median and maximum transactions per step and the total per
task, and the engine's CPU time for the run (less sensitive to a busy machine than wall time:
the task processes are not counted).

    python bench/steps.py [fan100 chain200 ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Connection

from brickyard import storage
from brickyard.app import build_services
from brickyard.engine import RunRequest
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dags import SHAPES, job


def count_steps(shape: str) -> tuple[list[int], int, float]:
    """Transactions of every loop step that opened one, the run's task count, and the CPU
    seconds this process (the engine; task processes are others) spent from submit to end."""
    with tempfile.TemporaryDirectory() as home:
        settings = replace(Settings.from_env({"BRICKYARD_HOME": home}), max_parallel_tasks=16)
        services = build_services(settings, control_socket=False)
        database = services.database
        opened = [0]
        real_transaction = database.transaction

        @contextmanager
        def counted() -> Iterator[Connection]:
            opened[0] += 1
            with real_transaction() as conn:
                yield conn

        try:
            settings_model = parse_job_settings(job(shape))
            with database.transaction() as conn:
                job_id = storage.create_job(conn, settings_model.to_api(), now_ms=0).job_id
            cpu_start = time.process_time()
            run = services.engine.submit(RunRequest(settings=settings_model, job_id=job_id))
            database.transaction = counted  # type: ignore[method-assign]
            engine = services.engine
            per_step: list[int] = []
            while True:
                opened[0] = 0
                delay = engine.run_once()
                if opened[0]:
                    per_step.append(opened[0])
                with database.read() as conn:
                    state = storage.read_run(conn, run.run_id).life_cycle_state
                if state.value in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR"):
                    break
                engine.inbox.wait(delay)
            cpu = time.process_time() - cpu_start
        finally:
            services.close()
        return per_step, len(settings_model.tasks or ()), cpu


def main() -> None:
    """Print the figures for each shape asked for (default fan100 and chain200)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("shapes", nargs="*", default=["fan100", "chain200"])
    args = parser.parse_args()
    unknown = sorted(set(args.shapes) - set(SHAPES))
    if unknown:
        parser.error(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    for shape in args.shapes:
        per_step, tasks, cpu = count_steps(shape)
        print(
            f"{shape:>9}: {len(per_step)} writing steps, transactions per step median "
            f"{statistics.median(per_step):.0f} max {max(per_step)}, "
            f"total {sum(per_step)} ({sum(per_step) / tasks:.2f} per task); "
            f"engine CPU {cpu:.2f} s"
        )


if __name__ == "__main__":
    main()
