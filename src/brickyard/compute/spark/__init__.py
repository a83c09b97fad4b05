"""Spark compute: node types, cluster sizing, the Spark installation, the lakehouse catalog,
Spark Connect servers and spark-submit."""
