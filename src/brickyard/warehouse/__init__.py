"""The SQL warehouse: Databricks SQL on DuckDB over the lakehouse (the default), or on a
database named by a SQLAlchemy URL. The interface is :mod:`brickyard.warehouse.engine`."""
