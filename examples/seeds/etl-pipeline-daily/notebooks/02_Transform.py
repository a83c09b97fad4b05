# Databricks notebook source
# MAGIC %md
# MAGIC # 02 · Transform
# MAGIC
# MAGIC The day's raw events, cleaned: duplicates removed (by `event_id`), events without a user
# MAGIC or with an amount that is not a number dropped, the amount a decimal and the time a
# MAGIC timestamp. Writes `main.etl_daily.events_clean` (partitioned by day), which the
# MAGIC `data_quality` wheel checks next.

# COMMAND ----------

dbutils.widgets.text("date", "")
date = dbutils.widgets.get("date")
assert date, "the job passes the run's start date as the 'date' parameter"

RAW = "main.etl_daily.raw_events"
CLEAN = "main.etl_daily.events_clean"

# COMMAND ----------

import json

from pyspark.sql import functions as F

raw = spark.table(RAW).where(F.col("event_date") == F.lit(date))
clean = (
    raw.dropDuplicates(["event_id"])
    .where(F.col("user_id").isNotNull())
    .withColumn("amount", F.col("amount").try_cast("decimal(10,2)"))
    .where(F.col("amount").isNotNull())
    .withColumn("event_time", F.to_timestamp("event_time"))
    .select("event_id", "user_id", "event_type", "amount", "event_time", "event_date")
)
(clean.write.mode("overwrite").partitionBy("event_date").saveAsTable(CLEAN))

# COMMAND ----------

rows_in = raw.count()
rows_out = spark.table(CLEAN).where(F.col("event_date") == F.lit(date)).count()
print(f"{CLEAN}: {rows_out} of {rows_in} raw events kept for {date}")
dbutils.jobs.taskValues.set("clean_rows", rows_out)
dbutils.notebook.exit(json.dumps({"rows_in": rows_in, "rows_out": rows_out}))
