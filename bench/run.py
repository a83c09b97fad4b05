"""Benchmark whole ``brickyard run`` processes on the DAG shapes of dags.py.

For each shape, ``brickyard run <job file> --output json`` runs as a subprocess ``--repeat``
times (stdout discarded), each time with its own ``BRICKYARD_HOME``, and the median wall time
is reported. By default each home is a copy of a prepared one whose store already exists (the
common case: a user's store is created once, by the first run); ``--cold`` starts every run in
an empty home instead, so store creation (schema migration) is included. Two baselines are
measured in the same session:

1. a plain interpreter start, ``python -c pass`` (median of ``--interpreter-runs``, 20);
2. ``brickyard run`` of a one-task job: the fixed cost of a run (CLI start, store creation,
   one task process).

Per shape: wall time, per-task overhead = (wall - one-task wall) / (tasks - 1), that overhead
as a multiple of a plain interpreter start, and the wall time against the peers' medians.

    .venv/bin/python bench/run.py                      # every shape, 5 runs each
    .venv/bin/python bench/run.py --shape seed8 --repeat 3
    .venv/bin/python bench/run.py --brickyard ".venv/bin/python -m brickyard.cli.main"
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from dags import SHAPES, write_jobs

PEER_MEDIAN_SECONDS = {"seed8": 1.8, "fan100": 3.2, "chain200": 4.6, "wide1000": 13.8}
"""Median wall times of comparable orchestrators on the same shapes, for reference."""

BENCHMARK_SHAPES = [shape for shape in SHAPES if shape != "one"]


@dataclass(frozen=True)
class ShapeResult:
    """The measurements of one shape."""

    shape: str
    tasks: int
    wall_seconds: float
    per_task_overhead_seconds: float
    overhead_vs_interpreter: float
    peer_seconds: float | None
    wall_vs_peer: float | None
    samples: list[float]


def default_brickyard() -> str:
    """The ``brickyard`` next to this interpreter (a venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("brickyard")
    return str(beside) if beside.exists() else "brickyard"


def time_command(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run of ``command``; fails loudly when it does not exit 0."""
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
        )
    except FileNotFoundError as error:
        raise SystemExit(f"cannot run {shlex.join(command)}: {error}") from error
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", errors="replace").strip().splitlines()
        tail = "\n".join(stderr[-20:])
        raise SystemExit(f"{shlex.join(command)} exited with {completed.returncode}:\n{tail}")
    return elapsed


def interpreter_start(runs: int) -> float:
    """Median wall seconds of ``python -c pass``."""
    return statistics.median(time_command([sys.executable, "-c", "pass"]) for _ in range(runs))


def brickyard_runs(
    brickyard: list[str], job_file: Path, repeat: int, template: Path | None
) -> list[float]:
    """Wall seconds of ``repeat`` runs of the job, each in its own BRICKYARD_HOME: a copy of
    ``template`` (a home whose store exists), or an empty one when ``template`` is None."""
    samples = []
    for _ in range(repeat):
        home = Path(tempfile.mkdtemp(prefix="brickyard-bench-"))
        if template is not None:
            shutil.copytree(template, home, dirs_exist_ok=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith("BRICKYARD_")}
        env["BRICKYARD_HOME"] = str(home)
        try:
            samples.append(
                time_command([*brickyard, "run", str(job_file), "--output", "json"], env)
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return samples


def measure_shape(
    shape: str, samples: list[float], *, one_task_wall: float, interpreter: float
) -> ShapeResult:
    """Derive the reported figures of one shape from its samples and the baselines."""
    tasks = len(SHAPES[shape]())
    wall = statistics.median(samples)
    per_task = (wall - one_task_wall) / (tasks - 1)
    peer = PEER_MEDIAN_SECONDS.get(shape)
    return ShapeResult(
        shape=shape,
        tasks=tasks,
        wall_seconds=wall,
        per_task_overhead_seconds=per_task,
        overhead_vs_interpreter=per_task / interpreter,
        peer_seconds=peer,
        wall_vs_peer=wall / peer if peer else None,
        samples=samples,
    )


def print_report(interpreter: float, one_task: list[float], results: list[ShapeResult]) -> None:
    print(f"python -c pass (median):      {interpreter * 1000:8.1f} ms")
    print(f"brickyard run, 1 task (median): {statistics.median(one_task):8.3f} s")
    print()
    header = (
        f"{'shape':9} {'tasks':>5} {'wall s':>8} {'per task ms':>11} {'x python':>8} "
        f"{'peers s':>7} {'x peers':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        peer = f"{result.peer_seconds:7.1f}" if result.peer_seconds else f"{'-':>7}"
        ratio = f"{result.wall_vs_peer:7.2f}" if result.wall_vs_peer else f"{'-':>7}"
        print(
            f"{result.shape:9} {result.tasks:5d} {result.wall_seconds:8.3f} "
            f"{result.per_task_overhead_seconds * 1000:11.1f} "
            f"{result.overhead_vs_interpreter:8.2f} {peer} {ratio}"
        )
    print()
    print("per task = (wall - one-task wall) / (tasks - 1); x python = per task / python start;")
    print("x peers = wall / the peers' median wall (below 1 is faster).")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark `brickyard run` on the DAG shapes of bench/dags.py."
    )
    parser.add_argument(
        "--shape",
        choices=BENCHMARK_SHAPES,
        action="append",
        help="run only this shape (repeatable); default: all",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per shape (default 5)")
    parser.add_argument("--interpreter-runs", type=int, default=20)
    parser.add_argument(
        "--brickyard",
        default=default_brickyard(),
        help="the brickyard command (default: the one beside this python)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start every run in an empty home (include creating the store)",
    )
    arguments = parser.parse_args()
    if arguments.repeat < 1 or arguments.interpreter_runs < 1:
        parser.error("--repeat and --interpreter-runs must be at least 1")

    brickyard = shlex.split(arguments.brickyard)
    shapes = arguments.shape or BENCHMARK_SHAPES
    with tempfile.TemporaryDirectory(prefix="brickyard-bench-jobs-") as jobs_dir:
        files = write_jobs(Path(jobs_dir), ["one", *shapes])
        template: Path | None = None
        if not arguments.cold:
            template = Path(jobs_dir) / "home"
            prepare = [*brickyard, "run", str(files["one"]), "--output", "json"]
            env = {k: v for k, v in os.environ.items() if not k.startswith("BRICKYARD_")}
            time_command(prepare, env | {"BRICKYARD_HOME": str(template)})
            shutil.rmtree(template / "runs", ignore_errors=True)
        interpreter = interpreter_start(arguments.interpreter_runs)
        one_task = brickyard_runs(brickyard, files["one"], arguments.repeat, template)
        results = []
        for shape in shapes:
            print(f"running {shape} x{arguments.repeat} ...", file=sys.stderr, flush=True)
            samples = brickyard_runs(brickyard, files[shape], arguments.repeat, template)
            results.append(
                measure_shape(
                    shape,
                    samples,
                    one_task_wall=statistics.median(one_task),
                    interpreter=interpreter,
                )
            )
    print_report(interpreter, one_task, results)
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "python": sys.version.split()[0],
            "brickyard_command": arguments.brickyard,
            "repeat": arguments.repeat,
            "cold": arguments.cold,
            "interpreter_start_seconds": interpreter,
            "one_task_seconds": one_task,
            "results": [asdict(result) for result in results],
        }
        arguments.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {arguments.json}")


if __name__ == "__main__":
    main()
