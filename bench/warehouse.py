"""Benchmark the SQL warehouse engine itself (no API in front): what the Statement Execution API
and SQL tasks build on.

1. **one-row query latency**: ``SELECT 1`` and a one-row lookup in a lakehouse table, from 1 and
   8 concurrent threads (``--clients``), ``--requests`` statements per client after a warm-up;
   p50 and p99. The lakehouse holds ``--tables`` tables, since every statement first checks the
   lakehouse folders for changes.
2. **a 1,000,000-row result**: the rows of a 1M-row table as one Arrow table (what the API pages
   into chunks), and a ``CREATE TABLE AS`` of 1M rows (Parquet written, moved in, committed).

    .venv/bin/python bench/warehouse.py
    .venv/bin/python bench/warehouse.py --requests 2000 --clients 1,8,16 --tables 100
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from brickyard.warehouse.duckdb_warehouse import DuckDBWarehouse


def _latencies(
    warehouse: DuckDBWarehouse, sql: str, clients: int, requests: int
) -> tuple[list[float], float]:
    """Each client's statement times (ms) and the whole wall time (s)."""
    times: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        mine = []
        for _ in range(requests):
            started = time.perf_counter()
            warehouse.execute(sql)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="brickyard-bench-warehouse-") as home:
        warehouse = DuckDBWarehouse(Path(home) / "lakehouse")
        try:
            for index in range(args.tables):
                warehouse.execute(
                    f"CREATE TABLE t{index} AS SELECT id, id * 2 AS v FROM range(100)"
                )
            for sql in ("SELECT 1", "SELECT v FROM t0 WHERE id = 42"):
                for _ in range(args.warmup):
                    warehouse.execute(sql)
                for clients in (int(c) for c in args.clients.split(",")):
                    times, wall = _latencies(warehouse, sql, clients, args.requests)
                    print(
                        f"{sql!r:36} clients={clients:<3} p50={statistics.median(times):6.2f} ms"
                        f" p99={_percentile(times, 0.99):6.2f} ms"
                        f" {len(times) / wall:8.0f} statements/s"
                    )
            started = time.perf_counter()
            warehouse.execute(
                "CREATE TABLE big AS SELECT id, concat('row-', id) AS label, id * 0.5D AS x"
                " FROM range(1000000)"
            )
            print(f"CREATE TABLE AS of 1,000,000 rows: {(time.perf_counter() - started):.2f} s")
            started = time.perf_counter()
            result = warehouse.execute("SELECT * FROM big")
            elapsed = time.perf_counter() - started
            print(
                f"SELECT of 1,000,000 rows as Arrow: {elapsed:.2f} s "
                f"({result.rows.nbytes / 1e6:.0f} MB, {result.row_count} rows)"
            )
        finally:
            warehouse.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
