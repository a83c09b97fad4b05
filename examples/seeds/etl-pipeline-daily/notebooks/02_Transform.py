# Databricks notebook source
# MAGIC %md
# MAGIC # 02 · Transform
# MAGIC
# MAGIC Deduplicates the day's raw orders, drops empty lines and writes the amounts to
# MAGIC `dbfs:/etl_daily/clean/<date>.csv`.

# COMMAND ----------

dbutils.widgets.text("date", "")
date = dbutils.widgets.get("date")

# COMMAND ----------

import csv
import io
import json

raw = list(csv.DictReader(io.StringIO(dbutils.fs.head(f"dbfs:/etl_daily/raw/{date}.csv"))))
seen = set()
clean = []
for row in raw:
    if row["order_id"] in seen or int(row["quantity"]) == 0:
        continue
    seen.add(row["order_id"])
    clean.append((row["order_id"], int(row["quantity"]) * float(row["unit_price"])))
text = "order_id,amount\n" + "".join(f"{order},{amount:.2f}\n" for order, amount in clean)
dbutils.fs.put(f"dbfs:/etl_daily/clean/{date}.csv", text, overwrite=True)
dbutils.notebook.exit(json.dumps({"rows_in": len(raw), "rows_out": len(clean)}))
