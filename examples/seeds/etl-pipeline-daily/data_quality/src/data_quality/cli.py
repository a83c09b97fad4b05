"""``run_checks --date D``: the wheel task's entry point. Reads the day's clean events with
the task's Spark session, runs the checks, prints each, and exits 1 when one fails (which
fails the task, and so the job)."""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession, functions

from data_quality.checks import check_events

CLEAN = "main.etl_daily.events_clean"


def run_checks(argv: list[str] | None = None) -> None:
    """Check ``CLEAN`` for ``--date``; exit status 1 when any expectation fails."""
    parser = argparse.ArgumentParser(prog="run_checks")
    parser.add_argument("--date", required=True, help="the day to check (yyyy-MM-dd)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    spark = SparkSession.builder.getOrCreate()
    day = spark.table(CLEAN).where(functions.col("event_date") == functions.lit(args.date))
    events = day.toPandas()
    # Great Expectations compares numbers, not Spark's decimals
    events["amount"] = events["amount"].astype(float)

    results = check_events(events)
    for result in results:
        column = f" on {result.column}" if result.column else ""
        print(f"{'PASS' if result.success else 'FAIL'}  {result.expectation}{column}")
    failed = [result for result in results if not result.success]
    print(
        f"{CLEAN} {args.date}: {len(events)} rows, {len(results) - len(failed)} of "
        f"{len(results)} checks passed"
    )
    if failed:
        sys.exit(1)
