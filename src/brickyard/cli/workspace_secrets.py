"""``brickyard workspace`` (import, ls) and ``brickyard secrets`` (put, list, delete)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from brickyard import secret_store
from brickyard.cli.errors import fail, reported
from brickyard.clock import SystemClock
from brickyard.settings import Settings
from brickyard.workspace import Workspace

workspace_app = typer.Typer(
    help="The local workspace (/Workspace/... notebook paths).", no_args_is_help=True
)
secrets_app = typer.Typer(
    help="The local secret store read by dbutils.secrets.", no_args_is_help=True
)


@workspace_app.command("import")
@reported
def import_(
    source: Annotated[Path, typer.Argument(help="A notebook, file or folder on disk")],
    destination: Annotated[str, typer.Argument(help="The workspace path, e.g. /ETL")],
    overwrite: Annotated[bool, typer.Option(help="Replace objects that exist")] = False,
) -> None:
    """Copy notebooks and files into the workspace."""
    if not source.exists():
        raise fail(f"{source}: no such file or folder")
    workspace = Workspace(Settings.from_env().workspace_root)
    for path in workspace.import_path(source, destination, overwrite=overwrite):
        typer.echo(f"imported {path}")


@workspace_app.command("ls")
@reported
def ls(path: Annotated[str, typer.Argument(help="A workspace folder")] = "/") -> None:
    """List a workspace folder."""
    workspace = Workspace(Settings.from_env().workspace_root)
    for item in workspace.list(path):
        language = f"  {item.language}" if item.language else ""
        typer.echo(f"{item.object_type.value:<10}{item.path}{language}")


@secrets_app.command("put")
@reported
def put(
    scope: Annotated[str, typer.Argument(help="The secret scope")],
    key: Annotated[str, typer.Argument(help="The secret key")],
    value: Annotated[
        str | None, typer.Option(help="The value (read from standard input when omitted)")
    ] = None,
) -> None:
    """Store a secret for dbutils.secrets.get(scope, key)."""
    text = value if value is not None else sys.stdin.read().rstrip("\n")
    if not scope or not key:
        raise fail("a secret needs a scope and a key")
    secret_store.put_secret(
        Settings.from_env().secrets_file, scope, key, text, now_ms=SystemClock().now_ms()
    )
    typer.echo(f"stored secret {scope}/{key}")


@secrets_app.command("list")
@reported
def list_(scope: Annotated[str | None, typer.Argument(help="A scope")] = None) -> None:
    """List scopes, or the keys of one scope (never the values)."""
    file = Settings.from_env().secrets_file
    if scope is None:
        for name in secret_store.list_scopes(file):
            typer.echo(name)
    else:
        for name in secret_store.list_keys(file, scope):
            typer.echo(name)


@secrets_app.command("delete")
@reported
def delete(
    scope: Annotated[str, typer.Argument(help="The secret scope")],
    key: Annotated[str, typer.Argument(help="The secret key")],
) -> None:
    """Remove a secret."""
    secret_store.delete_secret(Settings.from_env().secrets_file, scope, key)
    typer.echo(f"deleted secret {scope}/{key}")
