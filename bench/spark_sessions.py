"""Spark for the tasks of one run: a driver per task, or one Spark Connect server per cluster?

Both models run the same N tasks, each a fresh Python process (as brickyard's task processes
are) that runs one small query and writes one small table into the lakehouse:

- **driver per task** (the baseline): each task starts its own classic local Spark (a JVM);
- **Connect server per cluster**: one server is started for the cluster, then each task is a
  Spark Connect client of it (what brickyard does for a job cluster).

Printed: the wall time of each model, the first and the following tasks, and the ratio of the
two totals (below 1: the server model is faster). Run with::

    .venv/bin/python bench/spark_sessions.py --tasks 8
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from brickyard.compute.spark import connect_server
from brickyard.compute.spark.installation import find_spark
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar
from brickyard.compute.spark.sizing import plan_cluster
from brickyard.spec import ClusterSpec

QUERY = """
spark.range(100000).selectExpr("id % 10 AS k").groupBy("k").count().collect()
spark.range(10).write.mode("overwrite").saveAsTable("main.default.bench_{n}")
"""

CLASSIC = """
import sys
from pyspark.sql import SparkSession
builder = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
for pair in sys.argv[1:]:
    key, value = pair.split("=", 1)
    builder = builder.config(key, value)
spark = builder.getOrCreate()
{query}
spark.stop()
"""

CONNECT = """
import sys, time
from pyspark.sql import SparkSession
start = time.perf_counter()
spark = SparkSession.builder.remote(sys.argv[1]).getOrCreate()
spark.range(1).collect()
print(time.perf_counter() - start)
{query}
spark.client.close()
"""


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed_with_first_result(argv: list[str]) -> tuple[float, float]:
    """The process's wall time and the first-result time it printed."""
    start = time.perf_counter()
    done = subprocess.run(
        argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    return time.perf_counter() - start, float(done.stdout.split()[0])


def driver_per_task(tasks: int, conf: dict[str, str]) -> list[float]:
    pairs = [f"{k}={v}" for k, v in conf.items()]
    return [
        timed(
            [
                sys.executable,
                "-c",
                textwrap.dedent(CLASSIC).format(query=QUERY.format(n=f"classic_{n}")),
                *pairs,
            ]
        )
        for n in range(tasks)
    ]


def server_per_cluster(
    tasks: int, conf: dict[str, str], folder: Path
) -> tuple[float, list[tuple[float, float]]]:
    installation = find_spark()
    spec = ClusterSpec.model_validate(
        {"num_workers": 0, "spark_conf": {"spark.master": "local[2]"}}
    )
    plan = plan_cluster(spec, cluster_id="bench", cluster_name="bench")
    jars = conf.pop("spark.jars")
    start = time.perf_counter()
    server = connect_server.start_server(
        installation, plan, folder, extra_conf=conf, jars=[jars], timeout=300
    )
    ready = time.perf_counter() - start
    try:
        per_task = [
            timed_with_first_result(
                [
                    sys.executable,
                    "-c",
                    textwrap.dedent(CONNECT).format(query=QUERY.format(n=f"connect_{n}")),
                    server.connect_url,
                ]
            )
            for n in range(tasks)
        ]
    finally:
        connect_server.stop_server(server)
    return ready, per_task


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=3, help="tasks sharing the cluster")
    args = parser.parse_args()
    installation = find_spark()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        jar = catalog_jar(installation, home / "spark")  # compiled once, outside the timings
        conf = {**catalog_conf(home / "lakehouse"), "spark.jars": str(jar)}
        classic = driver_per_task(args.tasks, dict(conf))
        ready, connect = server_per_cluster(args.tasks, dict(conf), home / "server")
    classic_total = sum(classic)
    connect_walls = [wall for wall, _ in connect]
    first_results = [first for _, first in connect]
    connect_total = ready + sum(connect_walls)
    print(f"Spark {installation.spark_version}, {args.tasks} tasks on one cluster")
    print(
        f"driver per task:           total {classic_total:6.1f} s   "
        f"per task {statistics.median(classic):5.1f} s (median)"
    )
    print(
        f"Connect server per cluster: total {connect_total:6.1f} s   server ready {ready:5.1f} s, "
        f"per task {statistics.median(connect_walls):5.1f} s (median)"
    )
    print(
        "a task on the running cluster, session to first result: "
        f"{statistics.median(first_results):.2f} s (median; goal under 1 s)"
    )
    print(f"ratio (server / driver per task): {connect_total / classic_total:.2f}")
    marginal = statistics.median(connect_walls) / statistics.median(classic)
    print(f"marginal task (server / driver per task): {marginal:.2f}")


if __name__ == "__main__":
    main()
