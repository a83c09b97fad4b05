# Databricks notebook source
# MAGIC %md
# MAGIC # 01 · Ingestion
# MAGIC
# MAGIC The first task of the "ETL Pipeline Daily" seed job: lands the day's raw orders under
# MAGIC `dbfs:/etl_daily/raw/<date>.csv` and exits with what it wrote.

# COMMAND ----------

dbutils.widgets.text("date", "")
dbutils.widgets.text("environment", "dev")
date = dbutils.widgets.get("date")
environment = dbutils.widgets.get("environment")
assert date, "the job passes the run's start date as the 'date' parameter"

# COMMAND ----------

import json

rows = [("o-1", 3, 9.5), ("o-2", 1, 120.0), ("o-3", 0, 15.0), ("o-2", 1, 120.0)]
lines = ["order_id,quantity,unit_price"] + [f"{o},{q},{p}" for o, q, p in rows]
dbutils.fs.put(f"dbfs:/etl_daily/raw/{date}.csv", "\n".join(lines) + "\n", overwrite=True)
dbutils.jobs.taskValues.set("raw_rows", len(rows))
dbutils.notebook.exit(json.dumps({"date": date, "environment": environment, "rows": len(rows)}))
