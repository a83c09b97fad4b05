# Databricks notebook source
# MAGIC %md
# MAGIC # 00 · Validate the sources
# MAGIC
# MAGIC Checks that the three source extracts (CRM customers, ERP orders, web events) exist and
# MAGIC have the expected header, then publishes their row counts as task values so the
# MAGIC ingestion tasks (and the run page) can see them. A missing file or a changed header
# MAGIC stops the whole pipeline here, before anything is written.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("source_dir", "../../data")
dbutils.widgets.text("output_root", "dbfs:/complex_etl")

source_dir = dbutils.widgets.get("source_dir")
output_root = dbutils.widgets.get("output_root").rstrip("/")
print(f"source_dir={source_dir} output_root={output_root}")

# COMMAND ----------

# DBTITLE 1,Expected layout of each source
EXPECTED_HEADERS = {
    "crm_customers.csv": ["customer_id", "name", "email", "region", "country", "signup_date"],
    "erp_orders.csv": [
        "order_id",
        "customer_id",
        "order_date",
        "product_sku",
        "product_name",
        "quantity",
        "unit_price",
        "currency",
        "status",
    ],
    "web_events.csv": [
        "event_id",
        "session_id",
        "customer_id",
        "event_time",
        "event_type",
        "page",
        "device",
    ],
}

# COMMAND ----------

# DBTITLE 1,Check files and headers
import csv
import os

problems = []
row_counts = {}
for file_name, expected in EXPECTED_HEADERS.items():
    path = os.path.join(source_dir, file_name)
    if not os.path.isfile(path):
        problems.append(f"{path}: source file is missing")
        continue
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = sum(1 for _ in reader)
    if header != expected:
        problems.append(f"{path}: expected columns {expected}, found {header}")
    elif rows == 0:
        problems.append(f"{path}: the file has a header but no rows")
    row_counts[file_name] = rows

if problems:
    raise ValueError("source validation failed: " + "; ".join(problems))

for file_name, rows in row_counts.items():
    print(f"{file_name}: {rows} rows")

# COMMAND ----------

# DBTITLE 1,Publish row counts
dbutils.jobs.taskValues.set("crm_rows", row_counts["crm_customers.csv"])
dbutils.jobs.taskValues.set("erp_rows", row_counts["erp_orders.csv"])
dbutils.jobs.taskValues.set("web_rows", row_counts["web_events.csv"])
dbutils.jobs.taskValues.set("source_dir", os.path.abspath(source_dir))
