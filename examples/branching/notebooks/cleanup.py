# Databricks notebook source
# MAGIC %md
# MAGIC # Cleanup (`run_if: ALL_DONE`)
# MAGIC
# MAGIC Runs once its dependencies have finished, whatever their result, and removes the scratch
# MAGIC folder `count_rows` created. It is a leaf task: because it succeeds, the failed
# MAGIC `validate_strict` makes the run `SUCCESS_WITH_FAILURES`, not `FAILED`.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("output_root", "dbfs:/branching")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Remove the scratch folder
scratch = f"{output_root}/tmp"
try:
    removed = [entry.name for entry in dbutils.fs.ls(scratch)]
except FileNotFoundError:
    # count_rows failed before writing it: nothing to clean, and cleanup must not fail.
    print(f"{scratch} does not exist; nothing to remove")
else:
    dbutils.fs.rm(scratch, recurse=True)
    print(f"removed {scratch}: {removed}")

# COMMAND ----------

# DBTITLE 1,Report what is left
outputs = sorted(entry.path for entry in dbutils.fs.ls(output_root))
dbutils.jobs.taskValues.set("outputs", outputs)
for path in outputs:
    print(path)
