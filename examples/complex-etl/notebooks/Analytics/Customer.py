# Databricks notebook source
# MAGIC %md
# MAGIC # Analytics · Customers
# MAGIC
# MAGIC Customer lifetime value (orders, revenue, first and last order, average order value,
# MAGIC web engagement) and a simple segmentation:
# MAGIC
# MAGIC | segment | rule |
# MAGIC |---|---|
# MAGIC | `VIP` | lifetime value in the top 10 % |
# MAGIC | `Loyal` | 8 orders or more |
# MAGIC | `Web-first` | more web sessions than orders |
# MAGIC | `Occasional` | everyone else |
# MAGIC
# MAGIC Writes `<output_root>/gold/customer_ltv.csv` and `<output_root>/gold/customer_segments.csv`;
# MAGIC the exit value is a JSON summary.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("output_root", "dbfs:/complex_etl")
dbutils.widgets.text("vip_quantile", "0.9")
output_root = dbutils.widgets.get("output_root").rstrip("/")
vip_quantile = float(dbutils.widgets.get("vip_quantile"))

# COMMAND ----------

# DBTITLE 1,Read silver
import io
import json

import pandas as pd

text = dbutils.fs.head(f"{output_root}/silver/orders_enriched.csv", 50_000_000)
orders = pd.read_csv(io.StringIO(text), dtype={"customer_id": str}, keep_default_na=False)
orders = orders[orders["region"] != "Unknown"]
print(f"{len(orders)} order lines of known customers")

# COMMAND ----------

# DBTITLE 1,Lifetime value
ltv = orders.groupby(["customer_id", "name", "region"]).agg(
    orders=("order_id", "nunique"),
    lifetime_value=("amount", "sum"),
    first_order=("order_date", "min"),
    last_order=("order_date", "max"),
    web_sessions=("web_sessions", "max"),
)
ltv = ltv.reset_index()
ltv["lifetime_value"] = ltv["lifetime_value"].round(2)
ltv["avg_order_value"] = (ltv["lifetime_value"] / ltv["orders"]).round(2)

# COMMAND ----------

# DBTITLE 1,Segments
vip_threshold = float(ltv["lifetime_value"].quantile(vip_quantile))


def segment(row):
    if row["lifetime_value"] >= vip_threshold:
        return "VIP"
    if row["orders"] >= 8:
        return "Loyal"
    if row["web_sessions"] > row["orders"]:
        return "Web-first"
    return "Occasional"


ltv["segment"] = ltv.apply(segment, axis=1)
ltv = ltv.sort_values(["lifetime_value", "customer_id"], ascending=[False, True])
segments = ltv.groupby("segment").agg(
    customers=("customer_id", "count"),
    revenue=("lifetime_value", "sum"),
    avg_lifetime_value=("lifetime_value", "mean"),
)
segments = segments.round(2).reset_index().sort_values("revenue", ascending=False)
display(segments)

# COMMAND ----------

# DBTITLE 1,Write gold
dbutils.fs.put(f"{output_root}/gold/customer_ltv.csv", ltv.to_csv(index=False), overwrite=True)
dbutils.fs.put(
    f"{output_root}/gold/customer_segments.csv", segments.to_csv(index=False), overwrite=True
)

# COMMAND ----------

# DBTITLE 1,Summary
top = ltv.iloc[0]
summary = {
    "customers": len(ltv),
    "vip_threshold": round(vip_threshold, 2),
    "segments": {str(row.segment): int(row.customers) for row in segments.itertuples()},
    "top_customer": {"customer_id": str(top["customer_id"]), "name": str(top["name"])},
}
dbutils.jobs.taskValues.set("customers", summary["customers"])
dbutils.notebook.exit(json.dumps(summary))
