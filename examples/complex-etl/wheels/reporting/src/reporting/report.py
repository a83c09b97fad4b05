"""Write the daily Markdown report from the gold tables of the Complex ETL example.

Runs as the ``send_report`` task (``python_wheel_task``, entry point ``send_daily_report``).
It reads the gold CSVs through ``dbutils.fs`` and writes ``<output-root>/reports/daily_report.md``.
"""

from __future__ import annotations

import argparse
import builtins
import csv
import io
import sys
from collections.abc import Sequence
from typing import Any

MAX_BYTES = 50_000_000
DEFAULT_OUTPUT_ROOT = "dbfs:/complex_etl"


def get_dbutils() -> Any:
    """The task's ``dbutils``: the one the job runtime installs in ``builtins`` (brickyard and
    Databricks notebooks), else the Databricks SDK's (Databricks Connect, a real cluster)."""
    dbutils = getattr(builtins, "dbutils", None)
    if dbutils is not None:
        return dbutils
    try:
        from databricks.sdk.runtime import dbutils as sdk_dbutils
    except ImportError as error:
        raise RuntimeError(
            "no dbutils: run this as a job task (brickyard or Databricks), "
            "or install databricks-sdk"
        ) from error
    return sdk_dbutils


def read_table(dbutils: Any, path: str) -> list[dict[str, str]]:
    """Rows of a CSV file read through dbutils.fs."""
    return list(csv.DictReader(io.StringIO(dbutils.fs.head(path, MAX_BYTES))))


def task_value(dbutils: Any, task_key: str, key: str) -> Any:
    """A value an upstream task set, or None when there is none (or outside a job)."""
    try:
        return dbutils.jobs.taskValues.get(task_key, key, None, None)
    except (TypeError, ValueError):
        return None


def money(value: float) -> str:
    return f"€{value:,.2f}"


def build_report(
    *,
    report_date: str,
    by_day: list[dict[str, str]],
    by_region: list[dict[str, str]],
    by_product: list[dict[str, str]],
    segments: list[dict[str, str]],
    top_customers: list[dict[str, str]],
) -> tuple[str, dict[str, Any]]:
    """The Markdown report and a short summary of it."""
    total = sum(float(row["revenue"]) for row in by_day)
    day = next((row for row in by_day if row["order_date"] == report_date), None)
    day_revenue = float(day["revenue"]) if day else 0.0
    day_orders = int(day["orders"]) if day else 0
    lines = [
        f"# Daily sales report — {report_date}",
        "",
        f"- Revenue on {report_date}: **{money(day_revenue)}** ({day_orders} orders)",
        f"- Revenue over the period ({by_day[0]['order_date']} to {by_day[-1]['order_date']}): "
        f"**{money(total)}**",
        "",
        "## Revenue by region",
        "",
        "| region | orders | revenue |",
        "|---|---:|---:|",
        *(
            f"| {row['region']} | {row['orders']} | {money(float(row['revenue']))} |"
            for row in by_region
        ),
        "",
        "## Top products",
        "",
        "| product | units | revenue |",
        "|---|---:|---:|",
        *(
            f"| {row['product_name']} | {row['units']} | {money(float(row['revenue']))} |"
            for row in by_product[:5]
        ),
        "",
        "## Customer segments",
        "",
        "| segment | customers | revenue |",
        "|---|---:|---:|",
        *(
            f"| {row['segment']} | {row['customers']} | {money(float(row['revenue']))} |"
            for row in segments
        ),
        "",
        "## Top customers",
        "",
        *(
            f"{rank}. {row['name']} ({row['region']}): {money(float(row['lifetime_value']))}"
            for rank, row in enumerate(top_customers[:5], start=1)
        ),
        "",
    ]
    summary = {
        "date": report_date,
        "day_revenue": round(day_revenue, 2),
        "total_revenue": round(total, 2),
        "regions": len(by_region),
        "segments": len(segments),
    }
    return "\n".join(lines), summary


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="send_daily_report")
    parser.add_argument("--date", help="the report date (YYYY-MM-DD); default: the last day")
    parser.add_argument("--output-root", "--output_root", default=DEFAULT_OUTPUT_ROOT)
    # Job parameters are pushed down to wheel tasks as --name=value: ignore the ones we do not use.
    arguments, _ = parser.parse_known_args(list(argv))
    return arguments


def send_daily_report(argv: Sequence[str] | None = None) -> None:
    """Entry point: read the gold tables, write the Markdown report, print a summary."""
    arguments = parse_args(sys.argv[1:] if argv is None else argv)
    dbutils = get_dbutils()
    root = arguments.output_root.rstrip("/")
    by_day = read_table(dbutils, f"{root}/gold/revenue_by_day.csv")
    if not by_day:
        raise ValueError(f"{root}/gold/revenue_by_day.csv has no rows: nothing to report")
    report_date = arguments.date or by_day[-1]["order_date"]
    report, summary = build_report(
        report_date=report_date,
        by_day=by_day,
        by_region=read_table(dbutils, f"{root}/gold/revenue_by_region.csv"),
        by_product=read_table(dbutils, f"{root}/gold/revenue_by_product.csv"),
        segments=read_table(dbutils, f"{root}/gold/customer_segments.csv"),
        top_customers=read_table(dbutils, f"{root}/gold/customer_ltv.csv"),
    )
    upstream_revenue = task_value(dbutils, "analytics_sales", "revenue")
    if upstream_revenue is not None and abs(float(upstream_revenue) - summary["total_revenue"]) > 1:
        raise ValueError(
            f"gold revenue {summary['total_revenue']} does not match the sales task's "
            f"{upstream_revenue}"
        )
    report_path = f"{root}/reports/daily_report.md"
    dbutils.fs.put(report_path, report, overwrite=True)
    print(f"wrote {report_path}")
    for key, value in summary.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    send_daily_report()
