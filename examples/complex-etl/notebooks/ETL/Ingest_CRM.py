# Databricks notebook source
# MAGIC %md
# MAGIC # Ingest · CRM customers
# MAGIC
# MAGIC Reads the CRM extract, removes duplicated customers, normalises e-mail addresses, fills
# MAGIC missing regions with `Unknown`, types the signup date, and writes the bronze table
# MAGIC `<output_root>/bronze/customers.csv`.

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

raw = pd.read_csv(os.path.join(source_dir, "crm_customers.csv"), dtype=str, keep_default_na=False)
rows_in = len(raw)
print(f"read {rows_in} CRM rows")

# COMMAND ----------

# DBTITLE 1,Clean and type
customers = raw.drop_duplicates(subset=["customer_id"], keep="first").copy()
customers["email"] = customers["email"].str.strip().str.lower()
customers["region"] = customers["region"].str.strip().replace("", "Unknown")
customers["signup_date"] = pd.to_datetime(customers["signup_date"], format="%Y-%m-%d")
customers = customers.sort_values("customer_id").reset_index(drop=True)

duplicates = rows_in - len(customers)
unknown_region = int((customers["region"] == "Unknown").sum())
print(f"dropped {duplicates} duplicated customers; {unknown_region} without a region")

# COMMAND ----------

# DBTITLE 1,Write bronze
bronze_path = f"{output_root}/bronze/customers.csv"
out = customers.assign(signup_date=customers["signup_date"].dt.strftime("%Y-%m-%d"))
dbutils.fs.put(bronze_path, out.to_csv(index=False), overwrite=True)

dbutils.jobs.taskValues.set("rows_in", rows_in)
dbutils.jobs.taskValues.set("rows_out", len(out))
dbutils.jobs.taskValues.set("bronze_path", bronze_path)
print(f"wrote {len(out)} customers to {bronze_path}")

# COMMAND ----------

# DBTITLE 1,Sample
display(out.head(10))
