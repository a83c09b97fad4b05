# Databricks notebook source
# MAGIC %md
# MAGIC # Count rows
# MAGIC
# MAGIC Counts the sales in `../data/sales.csv` and publishes the count as the task value
# MAGIC `row_count`, which the `check_volume` if/else task compares with the job parameter
# MAGIC `min_rows`.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("source_file", "../data/sales.csv")
dbutils.widgets.text("output_root", "dbfs:/branching")
source_file = dbutils.widgets.get("source_file")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Count
import csv

with open(source_file, newline="", encoding="utf-8") as handle:
    sales = list(csv.DictReader(handle))
row_count = len(sales)
total_amount = round(sum(float(sale["amount"]) for sale in sales), 2)
print(f"{row_count} sales, total {total_amount}")

# COMMAND ----------

# DBTITLE 1,Publish
dbutils.jobs.taskValues.set("row_count", row_count)
dbutils.jobs.taskValues.set("total_amount", total_amount)
# A scratch marker that the ALL_DONE cleanup task removes whatever happens in between.
dbutils.fs.put(f"{output_root}/tmp/row_count.txt", str(row_count), overwrite=True)
