# Databricks notebook source
# MAGIC %md
# MAGIC # Process the full data set (the `true` branch)
# MAGIC
# MAGIC Runs when `row_count > min_rows`: sums every sale by region and writes
# MAGIC `<output_root>/processed/by_region.csv`.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("source_file", "../data/sales.csv")
dbutils.widgets.text("output_root", "dbfs:/branching")
source_file = dbutils.widgets.get("source_file")
output_root = dbutils.widgets.get("output_root").rstrip("/")
expected_rows = dbutils.jobs.taskValues.get("count_rows", "row_count", debugValue=0)

# COMMAND ----------

# DBTITLE 1,Aggregate by region
import csv
from collections import defaultdict

with open(source_file, newline="", encoding="utf-8") as handle:
    sales = list(csv.DictReader(handle))
if expected_rows and len(sales) != expected_rows:
    raise ValueError(f"{source_file} changed: count_rows saw {expected_rows}, now {len(sales)}")

totals = defaultdict(float)
for sale in sales:
    totals[sale["region"]] += float(sale["amount"])
lines = ["region,amount", *(f"{region},{totals[region]:.2f}" for region in sorted(totals))]
display([{"region": region, "amount": round(totals[region], 2)} for region in sorted(totals)])

# COMMAND ----------

# DBTITLE 1,Write
dbutils.fs.put(f"{output_root}/processed/by_region.csv", "\n".join(lines) + "\n", overwrite=True)
dbutils.jobs.taskValues.set("processed_rows", len(sales))
dbutils.jobs.taskValues.set("mode", "full")
