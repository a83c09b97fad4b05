# Databricks notebook source
# MAGIC %md
# MAGIC # 01 · Ingestion
# MAGIC
# MAGIC The first task of the "ETL Pipeline Daily" seed job: loads the day's raw events, as the
# MAGIC shop's front end sent them, into `main.etl_daily.raw_events`, partitioned by day (the table
# MAGIC is replaced, so a retry or a re-run does not duplicate them). The job passes
# MAGIC the run's start date as `date` and the deployment as `environment`.

# COMMAND ----------

dbutils.widgets.text("date", "")
dbutils.widgets.text("environment", "dev")
date = dbutils.widgets.get("date")
environment = dbutils.widgets.get("environment")
assert date, "the job passes the run's start date as the 'date' parameter"

RAW = "main.etl_daily.raw_events"

# COMMAND ----------

# MAGIC %md
# MAGIC ## The day's events
# MAGIC
# MAGIC Carried inline so the example needs no source system: 20 events, two of them sent twice,
# MAGIC one without a user and one whose amount the front end garbled.

# COMMAND ----------

import json

from pyspark.sql import functions as F

events = [
    (f"e-{n:03d}", f"u-{n % 5}", kind, amount, f"{date}T{8 + n // 2:02d}:{(n * 7) % 60:02d}:00")
    for n, (kind, amount) in enumerate(
        [("view", "0"), ("cart", "0"), ("purchase", "42.50"), ("view", "0"), ("purchase", "9.99")]
        * 4
    )
]
events += [events[2], events[7]]  # sent twice
events += [("e-900", None, "view", "0", f"{date}T21:00:00")]  # no user
events += [("e-901", "u-1", "purchase", "12,5O", f"{date}T21:30:00")]  # garbled amount

raw = (
    spark.createDataFrame(
        events,
        "event_id string, user_id string, event_type string, amount string, event_time string",
    )
    .withColumn("event_date", F.lit(date).cast("date"))
    .withColumn("environment", F.lit(environment))
)

# COMMAND ----------

spark.sql("CREATE SCHEMA IF NOT EXISTS main.etl_daily")
(raw.write.mode("overwrite").partitionBy("event_date").saveAsTable(RAW))
rows = spark.table(RAW).where(F.col("event_date") == F.lit(date)).count()
print(f"{RAW}: {rows} raw events for {date} ({environment})")

# COMMAND ----------

dbutils.jobs.taskValues.set("raw_rows", rows)
dbutils.notebook.exit(json.dumps({"date": date, "environment": environment, "rows": rows}))
