# Databricks notebook source
# MAGIC %md
# MAGIC # Ingest · ERP orders
# MAGIC
# MAGIC Reads the ERP order lines, drops duplicated lines, cancelled orders and lines without a
# MAGIC quantity, types quantities, prices and dates, computes the line amount, and writes the
# MAGIC bronze table `<output_root>/bronze/orders.csv`.

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

raw = pd.read_csv(os.path.join(source_dir, "erp_orders.csv"), dtype=str, keep_default_na=False)
rows_in = len(raw)
print(f"read {rows_in} ERP order lines")

# COMMAND ----------

# DBTITLE 1,Clean and type
orders = raw.drop_duplicates().copy()
duplicates = rows_in - len(orders)
cancelled = int((orders["status"] == "CANCELLED").sum())
orders = orders[orders["status"] != "CANCELLED"]
missing_quantity = int((orders["quantity"].str.strip() == "").sum())
orders = orders[orders["quantity"].str.strip() != ""].copy()

orders["quantity"] = orders["quantity"].astype(int)
orders["unit_price"] = orders["unit_price"].astype(float)
orders["order_date"] = pd.to_datetime(orders["order_date"], format="%Y-%m-%d")
orders["amount"] = (orders["quantity"] * orders["unit_price"]).round(2)
orders = orders.sort_values("order_id").reset_index(drop=True)
print(
    f"dropped {duplicates} duplicated lines, {cancelled} cancelled orders, "
    f"{missing_quantity} lines without a quantity"
)

# COMMAND ----------

# DBTITLE 1,Write bronze
bronze_path = f"{output_root}/bronze/orders.csv"
out = orders.assign(order_date=orders["order_date"].dt.strftime("%Y-%m-%d"))
dbutils.fs.put(bronze_path, out.to_csv(index=False), overwrite=True)

dbutils.jobs.taskValues.set("rows_in", rows_in)
dbutils.jobs.taskValues.set("rows_out", len(out))
dbutils.jobs.taskValues.set("cancelled", cancelled)
dbutils.jobs.taskValues.set("bronze_path", bronze_path)
print(f"wrote {len(out)} order lines to {bronze_path}")

# COMMAND ----------

# DBTITLE 1,Sample
display(out.head(10))
