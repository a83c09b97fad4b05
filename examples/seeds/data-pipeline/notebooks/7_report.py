# Databricks notebook source
# MAGIC %md
# MAGIC # 7 · Report
# MAGIC
# MAGIC The day's report: the per-sensor table from `main.data_pipeline.sensor_daily` and the
# MAGIC model's error from `6_evaluate_model`, written as Markdown to
# MAGIC `dbfs:/data_pipeline/reports/` and shown with `display()`.

# COMMAND ----------


DAILY = "main.data_pipeline.sensor_daily"
REPORTS = "dbfs:/data_pipeline/reports"

rmse = dbutils.jobs.taskValues.get(taskKey="evaluate_model", key="rmse_celsius", debugValue=0.0)
daily = spark.table(DAILY).orderBy("sensor_id", "reading_date")
display(daily)

# COMMAND ----------

rows = daily.collect()
processing_date = str(max(row["processing_date"] for row in rows))
table = ["| sensor | day | readings | avg °C | min °C | max °C |", "|---|---|---|---|---|---|"]
table += [
    f"| {r['sensor_id']} | {r['reading_date']} | {r['readings']} | {r['avg_celsius']:.2f} "
    f"| {r['min_celsius']:.2f} | {r['max_celsius']:.2f} |"
    for r in rows
]
report = "\n".join(
    [
        f"# Sensor report, processed {processing_date}",
        "",
        f"{sum(r['readings'] for r in rows)} readings from "
        f"{len({r['sensor_id'] for r in rows})} sensors.",
        "",
        *table,
        "",
        f"Model error on held-out days (RMSE): {rmse:.3f} °C",
        "",
    ]
)
report_path = f"{REPORTS}/sensor_report_{processing_date}.md"
dbutils.fs.put(report_path, report, overwrite=True)
print(report)

# COMMAND ----------

dbutils.jobs.taskValues.set("report_path", report_path)
dbutils.notebook.exit(report_path)
