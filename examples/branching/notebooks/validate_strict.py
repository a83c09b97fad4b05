# Databricks notebook source
# MAGIC %md
# MAGIC # Strict validation (fails on purpose)
# MAGIC
# MAGIC A data-quality gate that rejects negative amounts. The example data carries three
# MAGIC (refunds booked as sales), so this task FAILS every time: it is how the example shows a
# MAGIC failure handler (`run_if: AT_LEAST_ONE_FAILED`) and a run that ends
# MAGIC `SUCCESS_WITH_FAILURES` because every leaf task still succeeds.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("source_file", "../data/sales.csv")
source_file = dbutils.widgets.get("source_file")

# COMMAND ----------

# DBTITLE 1,Reject negative amounts
import csv

with open(source_file, newline="", encoding="utf-8") as handle:
    negative = [row["sale_id"] for row in csv.DictReader(handle) if float(row["amount"]) < 0]
dbutils.jobs.taskValues.set("negative_amounts", len(negative))
if negative:
    raise ValueError(f"{len(negative)} sales have a negative amount: {', '.join(negative)}")
print("no negative amounts")
