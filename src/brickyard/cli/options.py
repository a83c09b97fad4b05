"""Command-line values shared by several commands."""

from __future__ import annotations

from brickyard.cli.errors import fail


def parse_params(values: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs of ``--param`` options."""
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise fail(f"--param {value!r}: expected NAME=VALUE")
        params[name] = text
    return params
