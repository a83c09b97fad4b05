# Databricks notebook source
# MAGIC %md
# MAGIC # 6 · Evaluate the model
# MAGIC
# MAGIC Scores the model `5_train_model` saved on the days it was not trained on, and hands the
# MAGIC root-mean-square error to the report as the task value `rmse_celsius`.

# COMMAND ----------

import json
import math

from pyspark.sql import functions as F

PROCESSED = "main.data_pipeline.processed_readings"
model_path = dbutils.jobs.taskValues.get(
    taskKey="train_model",
    key="model_path",
    debugValue="dbfs:/data_pipeline/models/temperature_by_hour.json",
)
model = json.loads(dbutils.fs.head(model_path))

# COMMAND ----------

held_out = (
    spark.table(PROCESSED)
    .where(F.col("reading_date") != F.lit(model["trained_on"]).cast("date"))
    .select("sensor_id", F.hour("reading_time").alias("hour"), "celsius")
    .collect()
)
errors = []
for row in held_out:
    line = model["sensors"][row["sensor_id"]]
    predicted = line["slope"] * row["hour"] + line["intercept"]
    errors.append(predicted - row["celsius"])
rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
print(f"RMSE on {len(errors)} held-out readings: {rmse:.3f} °C")

# COMMAND ----------

dbutils.jobs.taskValues.set("rmse_celsius", round(rmse, 4))
dbutils.jobs.taskValues.set("evaluated_rows", len(errors))
dbutils.notebook.exit(f"{rmse:.4f}")
