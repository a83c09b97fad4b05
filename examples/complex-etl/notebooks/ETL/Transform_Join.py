# Databricks notebook source
# MAGIC %md
# MAGIC # Transform · Join orders, customers and web sessions
# MAGIC
# MAGIC Reads the three bronze tables, summarises the web events per customer (sessions, page
# MAGIC views, checkouts), and joins them onto every order line with the customer's region and
# MAGIC signup date. Orders of customers the CRM does not know are kept with region `Unknown`.
# MAGIC Writes the silver table `<output_root>/silver/orders_enriched.csv`.

# COMMAND ----------

# DBTITLE 1,Parameters
dbutils.widgets.text("output_root", "dbfs:/complex_etl")
output_root = dbutils.widgets.get("output_root").rstrip("/")

# COMMAND ----------

# DBTITLE 1,Read bronze
import io

import pandas as pd

MAX_BYTES = 50_000_000


def read_bronze(name):
    text = dbutils.fs.head(f"{output_root}/bronze/{name}.csv", MAX_BYTES)
    return pd.read_csv(io.StringIO(text), dtype={"customer_id": str}, keep_default_na=False)


customers = read_bronze("customers")
orders = read_bronze("orders")
events = read_bronze("web_events")
print(f"customers={len(customers)} orders={len(orders)} web events={len(events)}")

# COMMAND ----------

# DBTITLE 1,Web sessions per customer
known = events[events["customer_id"] != ""]
web = known.groupby("customer_id").agg(
    web_sessions=("session_id", "nunique"),
    web_page_views=("event_type", lambda kinds: int((kinds == "page_view").sum())),
    web_checkouts=("event_type", lambda kinds: int((kinds == "checkout").sum())),
)
web = web.reset_index()
print(f"{len(web)} customers seen on the web site")

# COMMAND ----------

# DBTITLE 1,Join
enriched = orders.merge(
    customers[["customer_id", "name", "region", "country", "signup_date"]],
    on="customer_id",
    how="left",
    validate="many_to_one",
)
unknown_customers = int(enriched["name"].isna().sum())
enriched = enriched.fillna({"name": "", "region": "Unknown", "country": "", "signup_date": ""})
enriched = enriched.merge(web, on="customer_id", how="left", validate="many_to_one")
for column in ("web_sessions", "web_page_views", "web_checkouts"):
    enriched[column] = enriched[column].fillna(0).astype(int)
enriched = enriched.sort_values("order_id").reset_index(drop=True)
print(f"{len(enriched)} enriched order lines; {unknown_customers} of unknown customers")

# COMMAND ----------

# DBTITLE 1,Write silver
silver_path = f"{output_root}/silver/orders_enriched.csv"
dbutils.fs.put(silver_path, enriched.to_csv(index=False), overwrite=True)
dbutils.jobs.taskValues.set("rows", len(enriched))
dbutils.jobs.taskValues.set("unknown_customers", unknown_customers)
dbutils.jobs.taskValues.set("silver_path", silver_path)
display(enriched.head(10))
