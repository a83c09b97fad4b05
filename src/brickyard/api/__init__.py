"""The Databricks Jobs API over HTTP: ``create_app(settings, services)`` in
:mod:`brickyard.api.app`, served by ``brickyard server``."""
