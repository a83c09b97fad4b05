# Databricks notebook source
# MAGIC %md
# MAGIC # 1 · Ingest from object storage
# MAGIC
# MAGIC The first task of the "DataPipelineJob" seed: copies the landed sensor readings to
# MAGIC `dbfs:/data_pipeline/bronze/readings.csv`.

# COMMAND ----------

readings = [
    ("s1", "2026-11-20T01:00:00", "21.5"),
    ("s2", "2026-11-20T01:00:00", ""),
    ("s1", "2026-11-20T02:00:00", "22.0"),
    ("s3", "2026-11-20T02:00:00", "19.25"),
]
text = "sensor,time,celsius\n" + "".join(f"{s},{t},{c}\n" for s, t, c in readings)
dbutils.fs.put("dbfs:/data_pipeline/bronze/readings.csv", text, overwrite=True)
dbutils.jobs.taskValues.set("rows", len(readings))
dbutils.notebook.exit(str(len(readings)))
