"""The ``brickyard`` command."""
