# Databricks notebook source
# MAGIC %md
# MAGIC # Process a sample (the `false` branch)
# MAGIC
# MAGIC Runs when `row_count <= min_rows` (run with the job parameter `min_rows=1000`): with so
# MAGIC little data the job only publishes an indicative per-region sum of every tenth sale,
# MAGIC flagged as a sample.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("source_file", "../data/sales.csv")
dbutils.widgets.text("output_root", "dbfs:/branching")
source_file = dbutils.widgets.get("source_file")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Aggregate a sample by region
import csv
from collections import defaultdict

with open(source_file, newline="", encoding="utf-8") as handle:
    sample = list(csv.DictReader(handle))[::10]

totals = defaultdict(float)
for sale in sample:
    totals[sale["region"]] += float(sale["amount"])
lines = ["region,amount,sample", *(f"{r},{totals[r]:.2f},true" for r in sorted(totals))]

# COMMAND ----------

# DBTITLE 1,Write
dbutils.fs.put(f"{output_root}/processed/by_region.csv", "\n".join(lines) + "\n", overwrite=True)
dbutils.jobs.taskValues.set("processed_rows", len(sample))
dbutils.jobs.taskValues.set("mode", "sample")
