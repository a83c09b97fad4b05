# Databricks notebook source
# MAGIC %md
# MAGIC # 1 · Ingest from object storage
# MAGIC
# MAGIC The first task of the "DataPipelineJob" seed. The sensors' gateway lands a CSV export in
# MAGIC object storage (`dbfs:/data_pipeline/landing/readings.csv`); this task loads it, as it
# MAGIC is, into the bronze table `main.data_pipeline.bronze_readings`. Every column stays a
# MAGIC string: typing and cleaning are the next task's job.

# COMMAND ----------

LANDED = "dbfs:/data_pipeline/landing/readings.csv"
BRONZE = "main.data_pipeline.bronze_readings"

# COMMAND ----------

# MAGIC %md
# MAGIC ## The landed file
# MAGIC
# MAGIC Two days of readings from three sensors, six an hour apart each day, plus the four broken
# MAGIC rows a real export always has. Written here so that the example carries its own data.

# COMMAND ----------

base_celsius = {"s1": 18.0, "s2": 21.0, "s3": 24.0}
lines = ["sensor_id,reading_time,celsius"]
for day, warmer in (("2026-11-19", 0.0), ("2026-11-20", 0.5)):
    for sensor, base in base_celsius.items():
        for hour in range(8, 20, 2):
            celsius = base + warmer + 0.25 * (hour - 8)
            lines.append(f"{sensor},{day}T{hour:02d}:00:00,{celsius:.2f}")
lines += [
    "s2,2026-11-20T09:00:00,",  # no value
    "s3,2026-11-20T11:00:00,n/a",  # not a number
    ",2026-11-20T13:00:00,20.0",  # no sensor
    "s1,2026-11-20T15:00:00,999.0",  # the sensor's error code
]
dbutils.fs.put(LANDED, "\n".join(lines) + "\n", overwrite=True)
print(f"landed {len(lines) - 1} readings at {LANDED}")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Load it into bronze

# COMMAND ----------

bronze = spark.read.csv(LANDED, header=True, inferSchema=False)
spark.sql("CREATE SCHEMA IF NOT EXISTS main.data_pipeline")
bronze.write.mode("overwrite").saveAsTable(BRONZE)

# COMMAND ----------

rows = spark.table(BRONZE).count()
print(f"{BRONZE}: {rows} rows")
dbutils.jobs.taskValues.set("bronze_rows", rows)
dbutils.notebook.exit(str(rows))
