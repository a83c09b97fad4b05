"""The Complex ETL example's reporting package (built as a wheel, run as a python_wheel_task)."""

__version__ = "0.1.0"
