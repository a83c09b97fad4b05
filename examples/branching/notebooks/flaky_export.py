# Databricks notebook source
# MAGIC %md
# MAGIC # Export (fails once, then succeeds on retry)
# MAGIC
# MAGIC Simulates a flaky downstream system: the job passes `{{task.execution_count}}` (1 on the
# MAGIC first attempt, 2 on the first retry) as the `execution_count` widget, and the export
# MAGIC fails on the first attempt. The task has `max_retries: 2` and
# MAGIC `min_retry_interval_millis: 500`, so brickyard retries it after half a second and the
# MAGIC second attempt succeeds.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("execution_count", "1")
dbutils.widgets.text("output_root", "dbfs:/branching")
execution_count = int(dbutils.widgets.get("execution_count"))
output_root = dbutils.widgets.get("output_root").rstrip("/")
print(f"attempt {execution_count}")

# COMMAND ----------

# DBTITLE 1,Talk to the flaky system
if execution_count < 2:
    raise ConnectionError(
        f"export target unavailable on attempt {execution_count} (simulated); a retry will work"
    )

# COMMAND ----------

# DBTITLE 1,Export whichever branch ran
full_rows = dbutils.jobs.taskValues.get("process_full", "processed_rows", default=-1)
sample_rows = dbutils.jobs.taskValues.get("process_sample", "processed_rows", default=-1)
mode = "full" if full_rows >= 0 else "sample"
processed = dbutils.fs.head(f"{output_root}/processed/by_region.csv")
dbutils.fs.put(f"{output_root}/export/by_region.csv", processed, overwrite=True)
dbutils.jobs.taskValues.set("exported_mode", mode)
dbutils.jobs.taskValues.set("attempts", execution_count)
print(
    f"exported the {mode} result ({max(full_rows, sample_rows)} rows) on attempt {execution_count}"
)
