"""``python -m brickyard`` is the ``brickyard`` command."""

from brickyard.cli.main import main

main()
