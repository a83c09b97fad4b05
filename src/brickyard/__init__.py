"""brickyard: run Databricks Workflows jobs on your own machine."""

__version__ = "0.1.0"
