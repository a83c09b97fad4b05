# Databricks notebook source
# MAGIC %md
# MAGIC # 2 · Clean and transform
# MAGIC
# MAGIC Drops readings without a value and adds Fahrenheit, into
# MAGIC `dbfs:/data_pipeline/silver/readings.csv`.

# COMMAND ----------

import csv
import io

rows = list(csv.DictReader(io.StringIO(dbutils.fs.head("dbfs:/data_pipeline/bronze/readings.csv"))))
kept = [row for row in rows if row["celsius"]]
lines = ["sensor,time,celsius,fahrenheit"] + [
    f"{r['sensor']},{r['time']},{r['celsius']},{float(r['celsius']) * 9 / 5 + 32:.2f}" for r in kept
]
dbutils.fs.put("dbfs:/data_pipeline/silver/readings.csv", "\n".join(lines) + "\n", overwrite=True)
dbutils.notebook.exit(str(len(kept)))
