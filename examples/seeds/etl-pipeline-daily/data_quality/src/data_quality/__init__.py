"""Data quality checks of the ETL Pipeline Daily seed job (its ``data_quality_checks`` task)."""
