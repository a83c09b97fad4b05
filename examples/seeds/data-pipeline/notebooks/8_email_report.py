# Databricks notebook source
# MAGIC %md
# MAGIC # 8 · E-mail the report
# MAGIC
# MAGIC Builds the e-mail for the data team with the report attached, using Python's `email`
# MAGIC package, and leaves it as an `.eml` file in `dbfs:/data_pipeline/outbox/`. Sending it
# MAGIC (SMTP, or the job's own e-mail notifications) is not this example's business: brickyard
# MAGIC does not send mail yet, another issue covers notifications. Any mail client opens the file.

# COMMAND ----------

from email.message import EmailMessage
from email.utils import formatdate

OUTBOX = "dbfs:/data_pipeline/outbox"
RECIPIENTS = ["data-team@example.com"]

report_path = dbutils.jobs.taskValues.get(
    taskKey="build_report",
    key="report_path",
    debugValue="dbfs:/data_pipeline/reports/sensor_report.md",
)
report = dbutils.fs.head(report_path, 1024 * 1024)
name = report_path.rsplit("/", 1)[-1]

# COMMAND ----------

message = EmailMessage()
message["From"] = "pipeline@example.com"
message["To"] = ", ".join(RECIPIENTS)
message["Subject"] = report.splitlines()[0].lstrip("# ")
message["Date"] = formatdate(localtime=False)
message.set_content(report)
message.add_attachment(report.encode(), maintype="text", subtype="markdown", filename=name)

eml_path = f"{OUTBOX}/{name.removesuffix('.md')}.eml"
dbutils.fs.put(eml_path, message.as_string(), overwrite=True)
print(f"wrote {eml_path} for {message['To']}")

# COMMAND ----------

dbutils.notebook.exit(eml_path)
