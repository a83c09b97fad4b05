# Databricks notebook source
# MAGIC %md
# MAGIC # Analytics · Sales
# MAGIC
# MAGIC Revenue by day, by region and by product from the silver table, written as three gold
# MAGIC tables under `<output_root>/gold/`. The notebook's exit value is a JSON summary.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("output_root", "dbfs:/complex_etl")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Read silver
import io
import json

import pandas as pd

text = dbutils.fs.head(f"{output_root}/silver/orders_enriched.csv", 50_000_000)
orders = pd.read_csv(io.StringIO(text), dtype={"customer_id": str}, keep_default_na=False)
print(f"{len(orders)} order lines")

# COMMAND ----------

# DBTITLE 1,Aggregate


def revenue_by(column):
    table = orders.groupby(column).agg(
        orders=("order_id", "nunique"),
        units=("quantity", "sum"),
        revenue=("amount", "sum"),
    )
    table["revenue"] = table["revenue"].round(2)
    return table.reset_index()


by_day = revenue_by("order_date").sort_values("order_date")
by_region = revenue_by("region").sort_values("revenue", ascending=False)
by_product = revenue_by(["product_sku", "product_name"]).sort_values("revenue", ascending=False)
display(by_region)

# COMMAND ----------

# DBTITLE 1,Write gold
gold = {
    "revenue_by_day": by_day,
    "revenue_by_region": by_region,
    "revenue_by_product": by_product,
}
for name, table in gold.items():
    dbutils.fs.put(f"{output_root}/gold/{name}.csv", table.to_csv(index=False), overwrite=True)
    print(f"wrote {output_root}/gold/{name}.csv ({len(table)} rows)")

# COMMAND ----------

# DBTITLE 1,Summary
summary = {
    "orders": int(orders["order_id"].nunique()),
    "revenue": round(float(orders["amount"].sum()), 2),
    "days": len(by_day),
    "top_region": str(by_region.iloc[0]["region"]),
    "top_product": str(by_product.iloc[0]["product_name"]),
    "best_day": str(by_day.sort_values("revenue", ascending=False).iloc[0]["order_date"]),
}
dbutils.jobs.taskValues.set("revenue", summary["revenue"])
dbutils.jobs.taskValues.set("top_region", summary["top_region"])
dbutils.notebook.exit(json.dumps(summary))
