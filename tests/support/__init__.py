"""Test helpers shared across test packages (importable: ``pythonpath`` includes tests/)."""
