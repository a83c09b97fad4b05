# Databricks notebook source
# MAGIC %md
# MAGIC # 2 · Clean and transform
# MAGIC
# MAGIC Bronze to silver: types cast (`reading_time` a timestamp, `celsius` a double), rows with
# MAGIC no sensor, no usable value or a value outside what the sensors can measure dropped, and
# MAGIC Fahrenheit added. Writes `main.data_pipeline.silver_readings`.

# COMMAND ----------

from pyspark.sql import functions as F

BRONZE = "main.data_pipeline.bronze_readings"
SILVER = "main.data_pipeline.silver_readings"
MEASURABLE_CELSIUS = (-40.0, 60.0)

# COMMAND ----------

bronze = spark.table(BRONZE)
typed = bronze.select(
    F.trim("sensor_id").alias("sensor_id"),
    F.to_timestamp("reading_time").alias("reading_time"),
    # try_cast: "n/a" and "" become null instead of failing the query
    F.col("celsius").try_cast("double").alias("celsius"),
)
low, high = MEASURABLE_CELSIUS
silver = (
    typed.where((F.col("sensor_id") != "") & F.col("reading_time").isNotNull())
    .where(F.col("celsius").between(low, high))
    .withColumn("fahrenheit", F.round(F.col("celsius") * 9 / 5 + 32, 2))
)
silver.write.mode("overwrite").saveAsTable(SILVER)

# COMMAND ----------

kept, read = spark.table(SILVER).count(), bronze.count()
print(f"{SILVER}: kept {kept} of {read} readings")
dbutils.jobs.taskValues.set("dropped_rows", read - kept)
dbutils.notebook.exit(str(kept))
