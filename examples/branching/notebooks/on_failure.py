# Databricks notebook source
# MAGIC %md
# MAGIC # Failure handler (`run_if: AT_LEAST_ONE_FAILED`)
# MAGIC
# MAGIC Runs only because `validate_strict` failed (were it to succeed, this task would be
# MAGIC `EXCLUDED`). It records an alert with the failed task's result state, which the job
# MAGIC passes in through `{{tasks.validate_strict.result_state}}`.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("failed_task", "validate_strict")
dbutils.widgets.text("failed_state", "failed")
dbutils.widgets.text("output_root", "dbfs:/branching")
failed_task = dbutils.widgets.get("failed_task")
failed_state = dbutils.widgets.get("failed_state")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Record the alert
import json

negative = dbutils.jobs.taskValues.get(failed_task, "negative_amounts", default=0)
alert = {"task": failed_task, "result_state": failed_state, "negative_amounts": negative}
dbutils.fs.put(f"{output_root}/alerts/alert.json", json.dumps(alert, indent=2), overwrite=True)
dbutils.jobs.taskValues.set("alerted", True)
print(f"alert recorded: {alert}")
