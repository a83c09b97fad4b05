"""A ``spark_python_task`` script: summarise the sales file given on the command line.

Script tasks get no automatic parameter pushdown, so the job passes what it needs explicitly,
including ``{{job.parameters.min_rows}}`` and ``{{job.run_id}}``. It runs with the script's
folder as the working directory; ``dbutils`` is available through ``builtins`` under a job.
"""

from __future__ import annotations

import argparse
import builtins
import csv
import statistics


def main() -> None:
    parser = argparse.ArgumentParser(prog="summarize")
    parser.add_argument("--input", required=True)
    parser.add_argument("--min-rows", type=int, required=True)
    parser.add_argument("--run-id", default="local")
    arguments = parser.parse_args()

    with open(arguments.input, newline="", encoding="utf-8") as handle:
        amounts = [float(row["amount"]) for row in csv.DictReader(handle)]
    enough = len(amounts) > arguments.min_rows
    print(f"run {arguments.run_id}: {len(amounts)} sales (min_rows={arguments.min_rows})")
    print(f"total={sum(amounts):.2f} median={statistics.median(amounts):.2f} enough={enough}")

    dbutils = getattr(builtins, "dbutils", None)
    if dbutils is not None:
        dbutils.jobs.taskValues.set("median_amount", round(statistics.median(amounts), 2))


if __name__ == "__main__":
    main()
