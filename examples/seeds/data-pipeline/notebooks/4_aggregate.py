# Databricks notebook source
# MAGIC %md
# MAGIC # 4 · Aggregate to the warehouse
# MAGIC
# MAGIC Runs after the JAR step (`com.example.pipeline.Process`), which wrote
# MAGIC `main.data_pipeline.processed_readings`. One row per sensor and day, in
# MAGIC `main.data_pipeline.sensor_daily`, for the report and the dashboards.

# COMMAND ----------

from pyspark.sql import functions as F

PROCESSED = "main.data_pipeline.processed_readings"
DAILY = "main.data_pipeline.sensor_daily"

# COMMAND ----------

daily = (
    spark.table(PROCESSED)
    .groupBy("sensor_id", "reading_date")
    .agg(
        F.count("*").alias("readings"),
        F.round(F.avg("celsius"), 2).alias("avg_celsius"),
        F.min("celsius").alias("min_celsius"),
        F.max("celsius").alias("max_celsius"),
        F.max("processing_date").alias("processing_date"),
    )
    .orderBy("sensor_id", "reading_date")
)
daily.write.mode("overwrite").saveAsTable(DAILY)

# COMMAND ----------

display(spark.table(DAILY))

# COMMAND ----------

rows = spark.table(DAILY).count()
dbutils.jobs.taskValues.set("daily_rows", rows)
dbutils.notebook.exit(str(rows))
