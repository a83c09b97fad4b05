# Databricks notebook source
# MAGIC %md
# MAGIC # 5 · Train the model
# MAGIC
# MAGIC A deliberately small model: a least-squares line per sensor predicting the temperature
# MAGIC from the hour of the day, fitted with numpy on the first day of readings (the second day
# MAGIC is kept for `6_evaluate_model`). The data is small, so it comes to the driver with
# MAGIC `toPandas()`. The parameters are saved as JSON in `dbfs:/data_pipeline/models/`.

# COMMAND ----------

import json

import numpy as np
from pyspark.sql import functions as F

PROCESSED = "main.data_pipeline.processed_readings"
MODEL_PATH = "dbfs:/data_pipeline/models/temperature_by_hour.json"

# COMMAND ----------

readings = (
    spark.table(PROCESSED)
    .select("sensor_id", "reading_date", F.hour("reading_time").alias("hour"), "celsius")
    .toPandas()
)
training_day = readings["reading_date"].min()
training = readings[readings["reading_date"] == training_day]

# COMMAND ----------

sensors = {}
for sensor, rows in training.groupby("sensor_id"):
    design = np.column_stack([rows["hour"].to_numpy(float), np.ones(len(rows))])
    (slope, intercept), *_ = np.linalg.lstsq(design, rows["celsius"].to_numpy(float), rcond=None)
    sensors[sensor] = {"slope": round(float(slope), 6), "intercept": round(float(intercept), 6)}

model = {
    "kind": "least squares, celsius ~ hour, per sensor",
    "trained_on": str(training_day),
    "training_rows": len(training),
    "sensors": sensors,
}
dbutils.fs.put(MODEL_PATH, json.dumps(model, indent=2), overwrite=True)
print(json.dumps(model, indent=2))

# COMMAND ----------

dbutils.jobs.taskValues.set("model_path", MODEL_PATH)
dbutils.notebook.exit(MODEL_PATH)
