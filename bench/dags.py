"""Job files for the benchmark shapes; every task is a ``spark_python_task`` running noop.py.

| shape     | tasks | DAG                                   |
|-----------|------:|---------------------------------------|
| one       |     1 | a single task (the fixed cost)        |
| seed8     |     8 | a chain of 8                          |
| fan100    |   102 | 1 -> 100 in parallel -> 1             |
| chain200  |   200 | a chain of 200                        |
| wide1000  |  1000 | 1000 independent tasks                |

``python bench/dags.py [--out DIR]`` writes ``<shape>.json`` files (default
``bench/results/jobs/``); ``bench/run.py`` calls :func:`write_jobs` itself.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
NOOP_SCRIPT = BENCH_DIR / "noop.py"

Task = dict[str, Any]


def task(key: str, depends_on: Iterable[str] = ()) -> Task:
    """One no-op script task (absolute script path: the job files may be written anywhere)."""
    spec: Task = {"task_key": key, "spark_python_task": {"python_file": str(NOOP_SCRIPT)}}
    dependencies = [{"task_key": upstream} for upstream in depends_on]
    if dependencies:
        spec["depends_on"] = dependencies
    return spec


def chain(length: int) -> list[Task]:
    """``t0001 -> t0002 -> ... -> t<length>``."""
    keys = [f"t{number:04d}" for number in range(1, length + 1)]
    return [task(key, keys[index - 1 : index]) for index, key in enumerate(keys)]


def fan(width: int) -> list[Task]:
    """``source -> (width parallel tasks) -> sink``."""
    middle = [f"t{number:04d}" for number in range(1, width + 1)]
    return [task("source"), *(task(key, ["source"]) for key in middle), task("sink", middle)]


def wide(width: int) -> list[Task]:
    """``width`` tasks without dependencies."""
    return [task(f"t{number:04d}") for number in range(1, width + 1)]


SHAPES: dict[str, Callable[[], list[Task]]] = {
    "one": lambda: chain(1),
    "seed8": lambda: chain(8),
    "fan100": lambda: fan(100),
    "chain200": lambda: chain(200),
    "wide1000": lambda: wide(1000),
}
"""Every shape by name; ``one`` is the fixed-cost baseline, not a benchmark of its own."""


def job(shape: str) -> dict[str, Any]:
    """The job settings of ``shape``."""
    return {"name": f"bench {shape}", "tasks": SHAPES[shape]()}


def write_jobs(out_dir: Path, shapes: Iterable[str] = SHAPES) -> dict[str, Path]:
    """Write ``<shape>.json`` for each shape into ``out_dir``; returns the files by shape."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for shape in shapes:
        path = out_dir / f"{shape}.json"
        path.write_text(json.dumps(job(shape), indent=1) + "\n", encoding="utf-8")
        files[shape] = path
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "jobs")
    arguments = parser.parse_args()
    for shape, path in write_jobs(arguments.out).items():
        print(f"{shape:9} {len(SHAPES[shape]()):5} tasks  {path}")


if __name__ == "__main__":
    main()
