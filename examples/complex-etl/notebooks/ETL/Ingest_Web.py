# Databricks notebook source
# MAGIC %md
# MAGIC # Ingest · Web events
# MAGIC
# MAGIC Reads the web analytics events, drops events whose timestamp cannot be parsed, marks
# MAGIC anonymous visitors, and writes the bronze table `<output_root>/bronze/web_events.csv`.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("source_dir", "../../data")
dbutils.widgets.text("output_root", "dbfs:/complex_etl")

source_dir = dbutils.widgets.get("source_dir")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Read the extract
import os

import pandas as pd

raw = pd.read_csv(os.path.join(source_dir, "web_events.csv"), dtype=str, keep_default_na=False)
rows_in = len(raw)
print(f"read {rows_in} web events")

# COMMAND ----------

# DBTITLE 1,Clean and type
events = raw.copy()
events["event_time"] = pd.to_datetime(
    events["event_time"], format="%Y-%m-%dT%H:%M:%SZ", errors="coerce", utc=True
)
unparseable = int(events["event_time"].isna().sum())
events = events[events["event_time"].notna()].copy()
events["is_anonymous"] = events["customer_id"].str.strip() == ""
events = events.sort_values(["event_time", "event_id"]).reset_index(drop=True)
anonymous = int(events["is_anonymous"].sum())
print(f"dropped {unparseable} events with a bad timestamp; {anonymous} anonymous events kept")

# COMMAND ----------

# DBTITLE 1,Write bronze
bronze_path = f"{output_root}/bronze/web_events.csv"
out = events.assign(event_time=events["event_time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
dbutils.fs.put(bronze_path, out.to_csv(index=False), overwrite=True)

dbutils.jobs.taskValues.set("rows_in", rows_in)
dbutils.jobs.taskValues.set("rows_out", len(out))
dbutils.jobs.taskValues.set("sessions", int(out["session_id"].nunique()))
dbutils.jobs.taskValues.set("bronze_path", bronze_path)
print(f"wrote {len(out)} events to {bronze_path}")

# COMMAND ----------

# DBTITLE 1,Sample
display(out.head(10))
