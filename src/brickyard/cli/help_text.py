"""Help texts for people: the commands' docstrings, written for developers, shown as text.

Typer's rich help keeps a docstring's single line breaks (the command lists show them as
ragged lines) and prints reST ``literals`` with their backticks. The docstrings stay as the
house writes them; the help is made from them once, when the app is assembled.
"""

from __future__ import annotations

import inspect

import typer

# Paragraphs are separated by blank lines; Typer's no-rewrap marker opens a paragraph kept as is.
_NO_REWRAP = "\b"


def plain_help(text: str) -> str:
    """``text`` with the lines of each paragraph joined and reST/Markdown backticks dropped."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    tidy = [
        paragraph if paragraph.startswith(_NO_REWRAP) else " ".join(paragraph.split())
        for paragraph in paragraphs
    ]
    return "\n\n".join(tidy).replace("`", "")


def tidy_help(app: typer.Typer) -> None:
    """Give ``app`` and every command and group in it (recursively) its :func:`plain_help`."""
    if isinstance(app.info.help, str):
        app.info.help = plain_help(app.info.help)
    for command in app.registered_commands:
        text = command.help or (inspect.getdoc(command.callback) if command.callback else None)
        if text:
            command.help = plain_help(text)
    for group in app.registered_groups:
        if isinstance(group.help, str):
            group.help = plain_help(group.help)
        if group.typer_instance is not None:
            tidy_help(group.typer_instance)
