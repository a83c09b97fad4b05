"""Every help text of the ``brickyard`` command reads as text: no backticks, no ragged lines."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
import typer.main
from typer.testing import CliRunner

from brickyard.cli.help_text import plain_help
from brickyard.cli.main import app


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of ``command`` and of every command under it."""
    yield path
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from command_paths(sub, (*path, name))


PATHS = list(command_paths(typer.main.get_command(app)))


def test_every_command_is_covered() -> None:
    assert {("run",), ("runs", "logs"), ("jobs", "pause"), ("cron",)} <= set(PATHS)
    assert len(PATHS) > 25


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "brickyard")
def test_help_has_no_backticks_and_no_line_breaks_inside_a_paragraph(
    path: tuple[str, ...],
) -> None:
    command: click.Command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    # the text Typer renders: every paragraph one line, which rich then wraps to the terminal
    for paragraph in (command.help or "").split("\n\n"):
        assert "\n" not in paragraph or paragraph.startswith("\b"), paragraph
    for width in ("60", "100"):
        shown = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": width})
        assert shown.exit_code == 0, shown.output
        assert "`" not in shown.output


def test_plain_help_joins_lines_and_drops_backticks() -> None:
    text = """Run ``job.json`` with
    `--follow`.

    Second paragraph
    here."""
    assert plain_help(text) == "Run job.json with --follow.\n\nSecond paragraph here."
